/**
 * The SolidFire Element JSON-RPC client: transport ({@code java.net.http} + Jackson's tree model), the
 * envelope, typed errors, retries, TLS trust, and typed wrappers for the methods the driver calls.
 * Private to the bundle: no Spindle API types except {@link org.spindle.storage.api.Secret}.
 */
package org.spindle.driver.solidfire.internal.element;
