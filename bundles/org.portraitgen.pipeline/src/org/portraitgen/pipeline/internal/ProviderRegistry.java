package org.portraitgen.pipeline.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;

/**
 * The node providers registered now, by type, plus the types whose provider left during this session (so that
 * validation can say "its bundle is gone" rather than "no such type"). Thread-safe: bind and unbind run on
 * framework threads while runs read.
 */
public final class ProviderRegistry {

    /** A registered provider with what the framework said about it. */
    public record Entry(NodeProvider provider, NodeDescriptor descriptor, String bundle, long serviceId,
            int ranking) {
    }

    private final Map<String, List<Entry>> byType = new ConcurrentHashMap<>();
    private final Map<String, String> departedBundleByType = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> departureListeners = new CopyOnWriteArrayList<>();

    public void add(Entry entry) {
        byType.compute(entry.descriptor().type(), (type, list) -> {
            List<Entry> copy = list == null ? new ArrayList<>() : new ArrayList<>(list);
            copy.add(entry);
            copy.sort(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId));
            return List.copyOf(copy);
        });
        departedBundleByType.remove(entry.descriptor().type());
    }

    public void remove(NodeProvider provider) {
        for (String type : List.copyOf(byType.keySet())) {
            Entry[] removed = new Entry[1];
            byType.computeIfPresent(type, (t, list) -> {
                List<Entry> copy = new ArrayList<>(list);
                copy.removeIf(e -> {
                    if (e.provider() == provider) {
                        removed[0] = e;
                        return true;
                    }
                    return false;
                });
                return copy.isEmpty() ? null : List.copyOf(copy);
            });
            if (removed[0] != null) {
                if (!byType.containsKey(type)) {
                    departedBundleByType.put(type, removed[0].bundle());
                }
                departureListeners.forEach(l -> l.accept(removed[0]));
            }
        }
    }

    /** The best-ranked provider of a type, if any is registered now. */
    public Optional<Entry> find(String type) {
        List<Entry> list = byType.get(type);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** The bundle whose provider of this type left during this session, if one did. */
    public Optional<String> departedBundle(String type) {
        return Optional.ofNullable(departedBundleByType.get(type));
    }

    public List<Entry> all() {
        return byType.values().stream().map(l -> l.get(0))
                .sorted(Comparator.comparing((Entry e) -> e.descriptor().category())
                        .thenComparing(e -> e.descriptor().label()))
                .toList();
    }

    /** Called with each provider that leaves; runs use it to fail the nodes it was executing. */
    public void onDeparture(Consumer<Entry> listener) {
        departureListeners.add(listener);
    }

    public void removeDepartureListener(Consumer<Entry> listener) {
        departureListeners.remove(listener);
    }
}
