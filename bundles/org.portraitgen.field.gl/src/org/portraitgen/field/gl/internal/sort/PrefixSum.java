package org.portraitgen.field.gl.internal.sort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/**
 * Exclusive prefix sum of a uint buffer in place (shaders/scan/*.comp): blocks scan themselves, their totals are
 * scanned recursively, and the block offsets are added back. Level buffers are kept and reused between calls.
 */
public final class PrefixSum implements AutoCloseable {
    /** 1024 x 8: the radix histograms of up to 1M keys (16 x 512 blocks) scan in one dispatch. */
    public static final int WORKGROUP_SIZE = 1024;
    public static final int ITEMS = 8;
    public static final int BLOCK = WORKGROUP_SIZE * ITEMS;

    private final ShaderLibrary shaders;
    private final List<GlBuffer> levels = new ArrayList<>();

    public PrefixSum(ShaderLibrary shaders) {
        this.shaders = shaders;
    }

    private int program(String name) {
        return shaders.program("scan/" + name, Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "ITEMS", ITEMS));
    }

    /** values[0..count) become their exclusive prefix sums. */
    public void exclusiveScan(GlBuffer values, int count) {
        scan(values, count, 0);
    }

    private void scan(GlBuffer values, int count, int level) {
        if (count == 0) {
            return;
        }
        while (levels.size() <= level) {
            levels.add(new GlBuffer("prefix sum level " + levels.size()));
        }
        int blocks = Dispatch.groups(count, BLOCK);
        GlBuffer sums = levels.get(level).ensure(4L * blocks);
        int scanBlocks = program("scan_blocks.comp");
        values.bind(0);
        sums.bind(1);
        Dispatch.uniform(scanBlocks, 0, count);
        Dispatch.run(scanBlocks, blocks, 1);
        if (blocks == 1) {
            return;
        }
        scan(sums, blocks, level + 1);
        int add = program("add_block_offsets.comp");
        values.bind(0);
        sums.bind(1);
        Dispatch.uniform(add, 0, count);
        Dispatch.run(add, blocks, 1);
    }

    @Override
    public void close() {
        levels.forEach(GlBuffer::close);
        levels.clear();
    }
}
