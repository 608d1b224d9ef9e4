package org.portraitgen.pipeline.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;

/** Small real node types over a text file of numbers, registered as services by the tests. */
final class TestNodes {

    static final PortType NUMBERS = new PortType("test-numbers", "numbers, one per line");
    static final PortType OTHER = new PortType("test-other", "a type nothing accepts");

    private TestNodes() {
    }

    static long[] readNumbers(Path dir) throws java.io.IOException {
        return Files.readAllLines(dir.resolve("numbers.txt")).stream().mapToLong(Long::parseLong).toArray();
    }

    static void writeNumbers(Path dir, long[] values) throws java.io.IOException {
        Files.writeString(dir.resolve("numbers.txt"),
                Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining("\n")) + "\n");
    }

    /** Base with an execution counter, so tests can assert that the cache served a node. */
    abstract static class Counting implements NodeProvider {
        final AtomicInteger executions = new AtomicInteger();

        @Override
        public final void execute(NodeContext context) throws Exception {
            executions.incrementAndGet();
            run(context);
        }

        abstract void run(NodeContext context) throws Exception;
    }

    static final class Source extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.source", "Source", "Test", "writes 1..count", "1", List.of(),
                    List.of(PortSpec.of("out", NUMBERS, "numbers")),
                    List.of(ParameterSpec.integer("count", "how many numbers", null, 1, 1000)), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            int n = ctx.parameters().integer("count");
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = i + 1;
            }
            writeNumbers(ctx.output("out"), v);
            ctx.progress(1, "done");
        }
    }

    static final class Add extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.add", "Add", "Test", "adds a constant", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("out", NUMBERS, "sums")),
                    List.of(ParameterSpec.number("delta", "added to each", 0.0, -100, 100),
                            ParameterSpec.choice("mode", "how", "plain", List.of("plain", "double"))),
                    null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            long[] v = readNumbers(ctx.input("in").orElseThrow());
            long d = (long) ctx.parameters().number("delta");
            int factor = ctx.parameters().string("mode").equals("double") ? 2 : 1;
            writeNumbers(ctx.output("out"), Arrays.stream(v).map(x -> (x + d) * factor).toArray());
        }
    }

    /** Squares numbers, per element, so a farm may split it into slices that {@link #merge} joins. */
    static final class Square extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.square", "Square", "Test", "squares each number", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("out", NUMBERS, "squares")),
                    List.of(), new org.portraitgen.api.node.ResourceNeeds(1, 64, 0, true));
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            long[] v = readNumbers(ctx.input("in").orElseThrow());
            int from = ctx.slice().map(s -> s.start(v.length)).orElse(0);
            int to = ctx.slice().map(s -> s.end(v.length)).orElse(v.length);
            writeNumbers(ctx.output("out"), Arrays.stream(v, from, to).map(x -> x * x).toArray());
        }

        @Override
        public void merge(List<Path> slices, NodeContext ctx) throws Exception {
            java.util.stream.LongStream all = java.util.stream.LongStream.empty();
            for (Path slice : slices) {
                all = java.util.stream.LongStream.concat(all, Arrays.stream(readNumbers(slice.resolve("out"))));
            }
            writeNumbers(ctx.output("out"), all.toArray());
        }
    }

    /** Works in steps, checkpointing each one; a later run resumes from the last checkpoint. */
    static final class Slow extends Counting {
        final AtomicInteger resumedAt = new AtomicInteger(-1);
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.slow", "Slow", "Test", "copies in steps", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("out", NUMBERS, "copy")),
                    List.of(ParameterSpec.integer("steps", "steps", 50, 1, 10000)), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            int steps = ctx.parameters().integer("steps");
            Path mark = ctx.checkpoints().resolve("step");
            int start = Files.exists(mark) ? Integer.parseInt(Files.readString(mark).trim()) : 0;
            resumedAt.set(start);
            for (int i = start; i < steps; i++) {
                ctx.checkCancelled();
                gate.await(10, TimeUnit.SECONDS);
                Thread.sleep(5);
                Files.writeString(mark, Integer.toString(i + 1));
                ctx.progress((i + 1.0) / steps, "step " + (i + 1));
            }
            writeNumbers(ctx.output("out"), readNumbers(ctx.input("in").orElseThrow()));
        }
    }

    /** Two of these in parallel branches each wait for the other to start: they pass only if run concurrently. */
    static final class Rendezvous extends Counting {
        final CountDownLatch bothStarted = new CountDownLatch(2);

        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.rendezvous", "Rendezvous", "Test", "needs a parallel twin", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("out", NUMBERS, "copy")),
                    List.of(ParameterSpec.text("tag", "distinguishes twins", "")), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            bothStarted.countDown();
            if (!bothStarted.await(20, TimeUnit.SECONDS)) {
                throw new NodeException("the twin branch never started: branches ran one after the other");
            }
            writeNumbers(ctx.output("out"), readNumbers(ctx.input("in").orElseThrow()));
        }
    }

    static final class Fail extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.fail", "Fail", "Test", "always fails", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("out", NUMBERS, "none")),
                    List.of(), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            throw new org.portraitgen.api.node.InvalidInputException("input file broken.mp4 is unusable");
        }
    }

    /** Publishes its input to a user-chosen file, also when served from cache. */
    static final class Sink extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.sink", "Sink", "Test", "writes a file", "1",
                    List.of(PortSpec.of("in", NUMBERS, "numbers")), List.of(PortSpec.of("copy", NUMBERS, "copy")),
                    List.of(ParameterSpec.outputFile("output", "where to write", null)), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            writeNumbers(ctx.output("copy"), readNumbers(ctx.input("in").orElseThrow()));
        }

        @Override
        public void publish(NodeContext ctx) throws Exception {
            Path out = ctx.parameters().path("output");
            Files.copy(ctx.output("copy").resolve("numbers.txt"), out,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads numbers from a user file: its cache key follows the file's content. */
    static final class Reader extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.reader", "Reader", "Test", "reads numbers", "1", List.of(),
                    List.of(PortSpec.of("out", NUMBERS, "numbers")),
                    List.of(ParameterSpec.inputFile("file", "numbers, one per line", null)), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            writeNumbers(ctx.output("out"), readNumbers(ctx.parameters().path("file").getParent()));
        }
    }

    /** An optional input file that defaults to empty, as the editor node's reference image does. */
    static final class OptionalReader extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.optional-reader", "Optional reader", "Test", "reads a file if given", "1",
                    List.of(), List.of(PortSpec.of("out", NUMBERS, "numbers")),
                    List.of(ParameterSpec.inputFile("file", "numbers, one per line, or empty", "")), null);
        }

        @Override
        void run(NodeContext ctx) throws Exception {
            String file = ctx.parameters().string("file");
            writeNumbers(ctx.output("out"), file.isEmpty() ? new long[0]
                    : readNumbers(Path.of(file).getParent()));
        }
    }

    static final class Other extends Counting {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.other", "Other", "Test", "emits another type", "1", List.of(),
                    List.of(PortSpec.of("out", OTHER, "other")), List.of(), null);
        }

        @Override
        void run(NodeContext ctx) {
            ctx.output("out");
        }
    }
}
