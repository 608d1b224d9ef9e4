package org.portraitgen.testfixtures.faults.internal;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ResourceNeeds;

/** A step that needs no GPU. */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=fixture.cpu-step")
public class CpuStepNode extends StepNode {
    @Override
    String type() {
        return "fixture.cpu-step";
    }

    @Override
    ResourceNeeds resources() {
        return new ResourceNeeds(1, 256, 0, false);
    }
}
