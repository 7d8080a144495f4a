package dev.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * STYLE.md's "Which way the arrows point", checked on the compiled main classes. A rule that fails names itself
 * and says why it exists; fix the import, not the rule.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.switchboard";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    static final ArchRule NOTHING_IMPORTS_PORTAL = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".portal..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".portal..")
            .as("Nothing imports portal")
            .because("the portal is a face over the features' services (STYLE.md, \"Which way the arrows point\")");

    static final ArchRule PAYLOAD_USES_NO_FEATURE = noClasses()
            .that().resideInAPackage(ROOT + ".payload..")
            .should().dependOnClassesThat(resideInAnotherSwitchboardPackageThan("payload"))
            .as("payload uses no other Switchboard package")
            .because("the request's wire model is used by every feature and uses none (STYLE.md)");

    static final ArchRule ROUTING_STAYS_BELOW_ITS_USERS = noClasses()
            .that().resideInAPackage(ROOT + ".routing..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ingest..", ROOT + ".homey..",
                    ROOT + ".delivery..", ROOT + ".portal..")
            .as("routing uses no ingest, homey, delivery or portal")
            .because("ingest and homey use routing, and routing uses only webhook (and payload) (STYLE.md)");

    static final ArchRule WEBHOOK_IS_AT_THE_BOTTOM = noClasses()
            .that().resideInAPackage(ROOT + ".webhook..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".routing..", ROOT + ".ingest..",
                    ROOT + ".homey..", ROOT + ".delivery..", ROOT + ".portal..")
            .as("webhook uses no routing, ingest, homey, delivery or portal")
            .because("routing uses webhook (key paths); webhook tells others of changes through events it owns"
                    + " (STYLE.md)");

    static final ArchRule DELIVERY_KNOWS_NOT_WHO_DELIVERS = noClasses()
            .that().resideInAPackage(ROOT + ".delivery..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ingest..", ROOT + ".homey..",
                    ROOT + ".portal..")
            .as("delivery uses no ingest, homey or portal")
            .because("ingest and homey use delivery, which reaches them only through interfaces it owns"
                    + " (OnlineHomeys, OutcomeListener) (STYLE.md)");

    static final ArchRule NO_CYCLES_BETWEEN_FEATURES = slices()
            .matching(ROOT + ".(*)..")
            .should().beFreeOfCycles()
            .as("No cycles between feature packages")
            .because("each feature must be understandable and replaceable from below (STYLE.md)");

    static final ArchRule PORTAL_AND_API_DO_NOT_CALL_EACH_OTHER = noClasses()
            .that().resideInAPackage(ROOT + ".portal..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + "..api..")
            .as("portal uses no API class")
            .because("portal and API resources are both faces over the features' services (STYLE.md)");

    static final ArchRule ONLY_CLUSTER_USES_REDIS = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".cluster..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus.redis..", "io.vertx.redis..",
                    "io.vertx.mutiny.redis..")
            .as("Nothing but cluster uses Redis")
            .because("a single node has no Redis code on its path (STYLE.md, \"Which way the arrows point\")");

    static final ArchRule NO_FEATURE_IMPORTS_CLUSTER = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".cluster..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".cluster..")
            .as("No feature imports cluster")
            .because("cluster plugs in behind small interfaces that delivery, routing and homey own (STYLE.md)");

    static final ArchRule INGEST_HANDS_OVER_TO_THE_DISPATCHER = noClasses()
            .that().resideInAPackage(ROOT + ".ingest..")
            .should().dependOnClassesThat(deliveryBeyond(ROOT + ".delivery.dispatch", ROOT + ".delivery.log",
                    ROOT + ".delivery.DeliveryRecord", ROOT + ".delivery.RecordingUnavailable"))
            .as("ingest uses delivery only through its entry point")
            .because("the Dispatcher owns defer / record / commit / abandon / declined; ingest routes and hands over"
                    + " (issue 11), so the protocol cannot spread again");

    static final ArchRule DELIVERY_ROOT_IS_ITS_BOTTOM = noClasses()
            .that().resideInAPackage(ROOT + ".delivery")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".delivery.(*)..")
            .as("delivery's root uses none of its sub-packages")
            .because("the root holds the vocabulary and seams (DeliveryRecord, OnlineHomeys, RemoteHomeys) that the"
                    + " sub-packages, homey and cluster build on; the roles sit above it");

    static final ArchRule NO_CYCLES_INSIDE_DELIVERY = slices()
            .matching(ROOT + ".delivery.(*)..")
            .should().beFreeOfCycles()
            .as("No cycles between delivery's sub-packages")
            .because("recording, outcomes, pending, store, dispatch, log and api each depend one way");

    static final ArchRule SERVICES_SPEAK_NO_HTTP = noClasses()
            .that().haveSimpleNameEndingWith("Service").and().resideInAPackage(ROOT + "..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".problem..", "jakarta.ws.rs..",
                    "org.jboss.resteasy..", "io.vertx.core.http..", "io.vertx.ext.web..")
            .as("Services use no problem or HTTP class")
            .because("a service returns Optional or a Result with a Refusal; the API maps it to problem+json and the"
                    + " portal to its page (STYLE.md, \"Thin resources, focused services\")");

    static final ArchRule RESULT_USES_NO_FEATURE = noClasses()
            .that().resideInAPackage(ROOT + ".result..")
            .should().dependOnClassesThat(resideInAnotherSwitchboardPackageThan("result"))
            .as("result uses no other Switchboard package")
            .because("every service answers with it and every face maps it, so it must sit below them all");

    @Test
    void onlyClusterUsesRedis() {
        ONLY_CLUSTER_USES_REDIS.check(MAIN);
    }

    @Test
    void noFeatureImportsCluster() {
        NO_FEATURE_IMPORTS_CLUSTER.check(MAIN);
    }

    @Test
    void nothingImportsPortal() {
        NOTHING_IMPORTS_PORTAL.check(MAIN);
    }

    @Test
    void payloadUsesNoOtherPackage() {
        PAYLOAD_USES_NO_FEATURE.check(MAIN);
    }

    @Test
    void routingStaysBelowItsUsers() {
        ROUTING_STAYS_BELOW_ITS_USERS.check(MAIN);
    }

    @Test
    void webhookIsAtTheBottom() {
        WEBHOOK_IS_AT_THE_BOTTOM.check(MAIN);
    }

    @Test
    void deliveryKnowsNotWhoDelivers() {
        DELIVERY_KNOWS_NOT_WHO_DELIVERS.check(MAIN);
    }

    @Test
    void noCyclesBetweenFeatures() {
        NO_CYCLES_BETWEEN_FEATURES.check(MAIN);
    }

    @Test
    void portalAndApiDoNotCallEachOther() {
        PORTAL_AND_API_DO_NOT_CALL_EACH_OTHER.check(MAIN);
    }

    @Test
    void ingestHandsOverToTheDispatcher() {
        INGEST_HANDS_OVER_TO_THE_DISPATCHER.check(MAIN);
    }

    @Test
    void deliveryRootIsItsBottom() {
        DELIVERY_ROOT_IS_ITS_BOTTOM.check(MAIN);
    }

    @Test
    void noCyclesInsideDelivery() {
        NO_CYCLES_INSIDE_DELIVERY.check(MAIN);
    }

    @Test
    void servicesSpeakNoHttp() {
        SERVICES_SPEAK_NO_HTTP.check(MAIN);
    }

    @Test
    void resultUsesNoOtherPackage() {
        RESULT_USES_NO_FEATURE.check(MAIN);
    }

    private static DescribedPredicate<JavaClass> deliveryBeyond(String... allowed) {
        return DescribedPredicate.describe("are delivery classes other than " + String.join(", ", allowed),
                c -> {
                    String name = c.getName();
                    if (!name.startsWith(ROOT + ".delivery.")) {
                        return false;
                    }
                    for (String a : allowed) {
                        if (name.equals(a) || name.startsWith(a + ".") || name.startsWith(a + "$")) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static DescribedPredicate<JavaClass> resideInAnotherSwitchboardPackageThan(String feature) {
        return DescribedPredicate.describe("reside in a Switchboard package other than "
                + feature, c -> c.getPackageName().startsWith(ROOT + ".")
                        && !c.getPackageName().equals(ROOT + "." + feature)
                        && !c.getPackageName().startsWith(ROOT + "." + feature + "."));
    }
}
