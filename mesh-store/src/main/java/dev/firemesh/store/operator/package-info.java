/**
 * The admin API's operators: name, role, the SHA-256 of their token's secret, the identity of their
 * client certificate, who created and revoked them. Text only; the control plane makes and checks
 * the credentials.
 */
package dev.firemesh.store.operator;
