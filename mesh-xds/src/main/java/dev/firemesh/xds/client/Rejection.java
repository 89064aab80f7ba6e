package dev.firemesh.xds.client;

import dev.firemesh.xds.translate.XdsType;
import java.time.Instant;

/**
 * A response the client NACKed: its type, the version it carried, and the reason sent back in
 * {@code error_detail}. The configuration in force before it stayed in force.
 */
public record Rejection(XdsType type, String version, String detail, Instant at) {}
