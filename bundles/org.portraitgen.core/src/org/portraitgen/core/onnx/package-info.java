/** A writer of small ONNX models (protobuf emitted by hand), for graphs built in code and test stand-ins. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.portraitgen.core.onnx;
