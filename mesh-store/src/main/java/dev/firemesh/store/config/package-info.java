/**
 * The config schemas services publish: one JSON document per service, kept as the chassis sent it
 * (this module does not read it; the control plane parses and enforces it).
 */
package dev.firemesh.store.config;
