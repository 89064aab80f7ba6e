/**
 * A workload's identity: {@link dev.firemesh.workload.identity.Enrolment} enrols a process with a
 * join token (its SPIFFE ID in the mesh's trust domain, a key pair made in this process, a CSR the
 * control plane signs), and {@link dev.firemesh.workload.identity.IdentityAgent} then renews by
 * proof of possession and follows the trust bundle. The private key never leaves the process.
 *
 * <p>Used by the sidecar, {@code firemesh svid} and the chassis. It must not know where a join
 * token comes from (a file, an environment variable, an operator's credentials: the caller's
 * business), nor picocli or Jackson.
 */
package dev.firemesh.workload.identity;
