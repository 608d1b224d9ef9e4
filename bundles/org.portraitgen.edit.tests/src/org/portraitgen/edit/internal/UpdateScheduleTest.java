package org.portraitgen.edit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class UpdateScheduleTest {

    @Test
    void keyFramesAreEveryKthFromTheFirst() {
        assertEquals(List.of(0, 5, 10), new UpdateSchedule(12, 5, 100, 10, 0.8, 0.5).keyFrames());
        assertEquals(List.of(0), new UpdateSchedule(1, 5, 100, 10, 0.8, 0.5).keyFrames());
    }

    @Test
    void editsAtTheStartAndEveryFewStepsButNotAtTheEnd() {
        UpdateSchedule s = new UpdateSchedule(10, 2, 100, 25, 0.8, 0.5);
        assertTrue(s.editsAt(0));
        assertFalse(s.editsAt(1));
        assertTrue(s.editsAt(25));
        assertTrue(s.editsAt(75));
        assertFalse(s.editsAt(100));
        assertEquals(50, s.lastEditAt(74));
        assertEquals(75, s.lastEditAt(75));
        assertEquals(3, s.round(99));
    }

    @Test
    void noiseLevelFallsFromStartToEnd() {
        UpdateSchedule s = new UpdateSchedule(10, 2, 100, 25, 0.8, 0.5);
        assertEquals(1.0, s.strength(0)); // the first edit of the renders is a full edit
        assertEquals(0.8 - 0.3 * 0.25, s.strength(25), 1e-12);
        assertEquals(0.8 - 0.3 * 0.75, s.strength(75), 1e-12);
        double previous = 1;
        for (int step = 25; step < 100; step += 25) {
            assertTrue(s.strength(step) < previous);
            previous = s.strength(step);
        }
    }

    @Test
    void badSettingsAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new UpdateSchedule(10, 2, 100, 25, 0.5, 0.8));
        assertTrue(e.getMessage().contains("noise"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UpdateSchedule(10, 0, 100, 25, 0.8, 0.5));
    }
}
