/**
 * Service configuration as the control plane sees it: the config schemas services publish (stored,
 * parsed, used by apply to refuse values a service could not bind) and the effective configuration
 * of an instance, with the source of each value, for the admin API. Delivery to services is the xDS
 * server's RTDS; this package knows nothing of it.
 */
package dev.firemesh.control.config;
