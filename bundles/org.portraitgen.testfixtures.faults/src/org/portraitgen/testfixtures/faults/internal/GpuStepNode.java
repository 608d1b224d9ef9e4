package org.portraitgen.testfixtures.faults.internal;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ResourceNeeds;

/** A step that declares one GPU, so a farm must place it on a GPU machine. */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=fixture.gpu-step")
public class GpuStepNode extends StepNode {
    @Override
    String type() {
        return "fixture.gpu-step";
    }

    @Override
    ResourceNeeds resources() {
        return new ResourceNeeds(1, 256, 1, false);
    }
}
