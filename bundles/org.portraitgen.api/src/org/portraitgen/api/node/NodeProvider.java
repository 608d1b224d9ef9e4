package org.portraitgen.api.node;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A node type, registered as an OSGi service by any bundle. The pipeline finds providers at run time, so a bundle
 * installed while the workbench runs adds its node types to the palette, and its removal fails only the runs that
 * use them.
 *
 * <p>Register with the service property {@value #TYPE_PROPERTY} set to {@code descriptor().type()}.
 */
@ConsumerType
public interface NodeProvider {

    /** Service property naming the node type, so a type can be looked up with a filter. */
    String TYPE_PROPERTY = "portraitgen.node.type";

    NodeDescriptor descriptor();

    /**
     * Computes the node's outputs from its inputs into {@link NodeContext#output} folders. Runs on an executor
     * thread, possibly in a worker process or on a render-farm machine; the folders are the only data plane. It must
     * poll {@link NodeContext#checkCancelled()} often and keep resumable state in {@link NodeContext#checkpoints()}.
     *
     * @throws NodeException for failures a person can act on (bad input, missing model); other exceptions are
     *                       reported as internal errors of the node
     */
    void execute(NodeContext context) throws Exception;

    /**
     * Copies finished outputs to where the user asked for them (e.g. an encoded video to its output path). Runs
     * after {@link #execute} and also when the outputs came from the cache, so a cached run still delivers its
     * files. Writes must be atomic.
     */
    default void publish(NodeContext context) throws Exception {
        // most nodes only fill the cache
    }

    /**
     * Joins the outputs of slices executed separately (see {@link NodeContext#slice()}) into this node's outputs,
     * in slice order. Per-frame nodes that declare {@link ResourceNeeds#perFrame()} implement it.
     *
     * @param sliceOutputs per slice, the folder holding one subfolder per output port
     */
    default void merge(java.util.List<java.nio.file.Path> sliceOutputs, NodeContext context) throws Exception {
        throw new NodeException("node type " + descriptor().type() + " cannot be split into frame slices");
    }
}
