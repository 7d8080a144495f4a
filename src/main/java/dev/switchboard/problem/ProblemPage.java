package dev.switchboard.problem;

import jakarta.ws.rs.core.Response;

/**
 * How a face that answers in HTML shows a problem (the portal's error page). Owned here and implemented by that
 * face, so the one mapper serves every resource and this package knows no page.
 */
public interface ProblemPage {

    /** Whether resources of this class answer with this page instead of problem+json. */
    boolean answersFor(Class<?> resourceClass);

    Response render(Problem problem);
}
