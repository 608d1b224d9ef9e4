package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.workbench.internal.model.Studio;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks the shipped e4 application model against the code: every class it names loads from its bundle, every
 * command has a handler, the commands the brief names have key bindings, and the six parts are there. (The model is
 * only otherwise exercised by starting the product: a typo would show as an empty part at run time.)
 */
class ApplicationModelTest {
    private static Document model;
    private static Bundle workbench;

    @BeforeAll
    static void read() throws Exception {
        workbench = FrameworkUtil.getBundle(Studio.class);
        try (InputStream in = workbench.getEntry("Application.e4xmi").openStream()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            model = f.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> all(String tag) {
        NodeList nodes = model.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static List<Element> withAttribute(String attribute) {
        return all("*").stream().filter(e -> e.hasAttribute(attribute)).toList();
    }

    @Test
    void everyContributedClassOfThisBundleLoads() throws Exception {
        int ours = 0;
        for (Element e : withAttribute("contributionURI")) {
            String uri = e.getAttribute("contributionURI");
            String prefix = "bundleclass://org.portraitgen.workbench/";
            if (uri.startsWith(prefix)) {
                workbench.loadClass(uri.substring(prefix.length()));
                ours++;
            }
        }
        assertTrue(ours >= 6 + 12, "parts and handlers: " + ours);
    }

    @Test
    void commandsHaveHandlersAndTheMainOnesHaveKeys() {
        Map<String, String> commandIds = new HashMap<>();
        all("commands").forEach(c -> commandIds.put(c.getAttribute("xmi:id"), c.getAttribute("elementId")));
        Set<String> handled = new HashSet<>();
        all("handlers").forEach(h -> handled.add(h.getAttribute("command")));
        assertEquals(commandIds.keySet(), handled, "every command needs exactly one handler");
        Set<String> keyed = new HashSet<>();
        all("bindings").forEach(b -> keyed.add(commandIds.get(b.getAttribute("command"))));
        for (String c : List.of("open", "save", "saveAs", "undo", "redo", "run", "cancel")) {
            assertTrue(keyed.contains("org.portraitgen.workbench.command." + c), c + " has no key binding");
        }
    }

    @Test
    void theSixPartsAreInTheWindow() {
        Set<String> parts = new HashSet<>();
        all("children").stream().filter(e -> "basic:Part".equals(e.getAttribute("xsi:type")))
                .forEach(p -> parts.add(p.getAttribute("label")));
        assertEquals(Set.of("Graph", "Viewport", "Properties", "Jobs", "Log", "Bundles"), parts);
    }
}
