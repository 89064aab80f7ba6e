/**
 * What is wrong with a batch of resources, and where: {@link
 * dev.firemesh.api.validation.SourcePosition}, {@link dev.firemesh.api.validation.Problem}, the
 * {@link dev.firemesh.api.validation.InvalidResourceException} that refuses a file whole, and the
 * checks that need more than one document ({@link dev.firemesh.api.validation.ReferenceCheck}).
 *
 * <p>Nothing here knows YAML or JSON; the codec in {@code dev.firemesh.api.codec} reports its
 * problems through these types and hands positions over in {@link
 * dev.firemesh.api.validation.ParsedResource}.
 */
package dev.firemesh.api.validation;
