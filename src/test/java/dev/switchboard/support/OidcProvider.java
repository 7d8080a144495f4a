package dev.switchboard.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Every @QuarkusTest shares one WireMock OIDC provider, like production shares one identity provider. */
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
public class OidcProvider {
}
