package dev.switchboard.support;

import static dev.switchboard.support.Tokens.as;
import static dev.switchboard.support.Tokens.asAdmin;

import io.restassured.path.json.JsonPath;

/** Webhooks made through the management API, the way a developer makes them. */
public final class Webhooks {

    public final String id;
    public final String secret;
    public final String owner;

    private Webhooks(String id, String secret, String owner) {
        this.id = id;
        this.secret = secret;
        this.owner = owner;
    }

    public static Webhooks create(String owner) {
        JsonPath created = as(owner).body("{\"name\":\"Test webhook\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().jsonPath();
        return new Webhooks(created.getString("id"), created.getString("secret"), owner);
    }

    public Webhooks keyPath(String keyPath) {
        as(owner).body("{\"keyPath\":" + quote(keyPath) + "}").patch("/api/v1/webhooks/" + id).then().statusCode(200);
        return this;
    }

    public Webhooks legacyFunction(String body) {
        asAdmin("root").contentType("text/plain").body(body).put("/api/v1/admin/webhooks/" + id + "/legacy-function")
                .then().statusCode(200);
        return this;
    }

    public String url() {
        return "/webhook/" + id;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
