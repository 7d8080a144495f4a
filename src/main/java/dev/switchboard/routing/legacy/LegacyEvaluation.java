package dev.switchboard.routing.legacy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Result of one {@link LegacyFunctionSandbox#evaluate} call.
 *
 * @param outcomes one outcome per registration, in the order the registrations were given
 * @param elapsed wall time of the whole evaluation
 */
public record LegacyEvaluation(List<LegacyOutcome> outcomes, Duration elapsed) {

    public LegacyEvaluation {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public LegacyOutcome outcome(int registrationIndex) {
        return outcomes.get(registrationIndex);
    }

    public boolean matched(int registrationIndex) {
        return outcomes.get(registrationIndex).matched();
    }

    /** Indexes (into the registration list) whose function returned {@code true}. */
    public List<Integer> matchedIndexes() {
        return IntStream.range(0, outcomes.size()).filter(this::matched).boxed().toList();
    }

    /** How many registrations ended in each kind of outcome; handy for metrics and logs. */
    public Map<LegacyOutcome.Kind, Integer> countByKind() {
        Map<LegacyOutcome.Kind, Integer> counts = new EnumMap<>(LegacyOutcome.Kind.class);
        for (LegacyOutcome o : outcomes) {
            counts.merge(o.kind(), 1, Integer::sum);
        }
        return counts;
    }
}
