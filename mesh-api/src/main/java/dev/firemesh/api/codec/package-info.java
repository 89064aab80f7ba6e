/**
 * Reads and writes resources: Kubernetes-style YAML (several documents per file) and canonical
 * JSON, through one binder from snakeyaml-engine's node tree to the records of {@code
 * dev.firemesh.api.resource}. {@link dev.firemesh.api.codec.ResourceCodec} is the entry point.
 *
 * <p>Reading validates everything a single document can tell (types, ranges, names, regexes,
 * unknown fields) and reports every problem with its file, line, column and field path; checks
 * across documents live in {@code dev.firemesh.api.validation}. Each kind has one class that both
 * reads and writes it, so a field's name is spelt in one place.
 *
 * <p>Hostile input is bounded: input size, nesting depth, aliases, the size a document expands to
 * through aliases, and recursive aliases are all refused with a position, never by hanging or by
 * running out of memory.
 */
package dev.firemesh.api.codec;
