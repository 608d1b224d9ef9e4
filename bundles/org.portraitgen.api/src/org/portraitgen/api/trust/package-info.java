/** Which bundles may run: signatures, the trust store, and what a bundle brings before it starts. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.portraitgen.api.trust;
