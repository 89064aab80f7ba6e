/**
 * The one normal form of request paths: authorization rules are written in it (the codec refuses a
 * rule path that is not), and the inbound side puts every request path in it before matching and
 * forwarding. Keeping both here means a rule can never be valid yet unmatchable.
 */
package dev.firemesh.api.path;
