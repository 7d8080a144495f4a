package dev.switchboard.problem;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** An API endpoint with a bug, present only in tests: what does a client hear when something breaks? */
@Path("/api/v1/test-only/unexpected-failure")
public class UnexpectedFailureResource {

    static final String INTERNAL_DETAIL = "connection to db-primary.internal:5432 refused";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String fail() {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }
}
