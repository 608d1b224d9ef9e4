/** Image planes, colour conversions, image metrics and small math shared by the implementation bundles. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.portraitgen.core;
