/**
 * Operators of the admin API and their roles: who may call what ({@link
 * dev.firemesh.control.operator.Role}), who a caller is once authenticated ({@link
 * dev.firemesh.control.operator.Principal}), and the operators' credentials ({@link
 * dev.firemesh.control.operator.Operators}: tokens stored hashed, client-certificate identities).
 * Knows nothing of HTTP; the admin server asks it.
 */
package dev.firemesh.control.operator;
