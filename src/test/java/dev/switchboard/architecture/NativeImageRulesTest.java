package dev.switchboard.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.lang.ArchRule;

/**
 * What would break only the native image, which CI builds up to the image step but cannot finish (README, "Native
 * image"): checked on the compiled main classes, so it fails here instead of in a user's GraalVM build.
 */
class NativeImageRulesTest {

    static final ArchRule NO_RANDOM_GENERATOR_IN_A_STATIC_FIELD = noFields()
            .that().areStatic()
            .should().haveRawType(assignableTo(Random.class).or(assignableTo(SplittableRandom.class)))
            .as("No random generator in a static field")
            .because("Quarkus initialises classes at build time in a native image: GraalVM refuses a seeded generator"
                    + " in the image heap, and one that got there would give every process the same numbers");

    @Test
    void noRandomGeneratorInAStaticField() {
        NO_RANDOM_GENERATOR_IN_A_STATIC_FIELD.check(ArchitectureTest.MAIN);
    }
}
