package org.higgsnarrator.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/** Typed reads of request fields, each failing with a 400 that names the field. */
final class Json {
    private Json() {}

    static JsonObject parseObject(byte[] body) {
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException ex) {
            throw ApiError.badRequest(null, "the body is not valid JSON: " + ex.getMessage());
        }
        if (e == null || !e.isJsonObject()) throw ApiError.badRequest(null, "the body must be a JSON object");
        return e.getAsJsonObject();
    }

    private static JsonPrimitive primitive(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonPrimitive()) throw ApiError.badRequest(key, key + " must be a " + "single value, got " + e);
        return e.getAsJsonPrimitive();
    }

    static String string(JsonObject o, String key, String def) {
        JsonPrimitive p = primitive(o, key);
        if (p == null) return def;
        if (!p.isString()) throw ApiError.badRequest(key, key + " must be a string, got " + p);
        return p.getAsString();
    }

    static double number(JsonObject o, String key, double def) {
        JsonPrimitive p = primitive(o, key);
        if (p == null) return def;
        if (!p.isNumber()) throw ApiError.badRequest(key, key + " must be a number, got " + p);
        return p.getAsDouble();
    }

    static long longValue(JsonObject o, String key, long def) {
        JsonPrimitive p = primitive(o, key);
        if (p == null) return def;
        if (!p.isNumber()) throw ApiError.badRequest(key, key + " must be an integer, got " + p);
        try {
            return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException e) {
            throw ApiError.badRequest(key, key + " must be an integer, got " + p);
        }
    }

    static int intValue(JsonObject o, String key, int def) {
        long v = longValue(o, key, def);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw ApiError.badRequest(key, key + " is out of range: " + v);
        return (int) v;
    }

    static boolean bool(JsonObject o, String key, boolean def) {
        JsonPrimitive p = primitive(o, key);
        if (p == null) return def;
        if (!p.isBoolean()) throw ApiError.badRequest(key, key + " must be true or false, got " + p);
        return p.getAsBoolean();
    }

    static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonObject()) throw ApiError.badRequest(key, key + " must be an object");
        return e.getAsJsonObject();
    }

    static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonArray()) throw ApiError.badRequest(key, key + " must be a list");
        return e.getAsJsonArray();
    }
}
