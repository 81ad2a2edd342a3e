package dev.modelops.argocd;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a health, discovery or action script the way Argo CD runs one from {@code argocd-cm} (its {@code util/lua}
 * package, gopher-lua): a fresh state per call with only the base, package and table libraries and a safe
 * {@code os} holding {@code time} and {@code date} (the standard libraries are off for argocd-cm scripts unless
 * {@code useOpenLibs} is set, and always off for actions); the global {@code obj} is the resource converted value by
 * value (objects to tables, arrays to 1-based tables, numbers to numbers, null dropped) and {@code actionParams} the
 * action's parameters; one second to finish; the script's last return value is read back through gopher-json's
 * rules (an empty table is an empty array, a table is an array only with keys 1..n, mixed keys are an error) and
 * then interpreted as Argo CD does.
 *
 * <p>
 * LuaJ implements Lua 5.2 and gopher-lua 5.1. Where their base and table libraries differ, the state offers only
 * what both have ({@code rawlen}, {@code table.pack} and {@code table.unpack} are removed; 5.1's {@code unpack},
 * {@code table.getn} and {@code loadstring} do not exist here), so a script that runs here runs in Argo CD.
 */
final class ArgoLua {

    /** Argo CD's budget per script run. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    static final Set<String> HEALTH_STATUSES = Set.of("Unknown", "Progressing", "Suspended", "Healthy", "Degraded",
            "Missing");
    static final String INVALID_HEALTH_STATUS = "Lua returned an invalid health status";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a health script returned, as Argo CD's {@code health.HealthStatus}; "" where a field is not set. */
    record HealthStatus(String status, String message) {
    }

    /** One entry of a discovery script's result, as Argo CD's {@code ResourceAction} (parameters left out). */
    record ResourceAction(String name, boolean disabled, String iconClass, String displayName) {
    }

    /** A script that failed, returned the wrong type, or returned what Argo CD cannot read. */
    static final class ScriptException extends RuntimeException {
        ScriptException(String message) {
            super(message);
        }
    }

    private ArgoLua() {
    }

    static HealthStatus health(String script, JsonNode obj) {
        LuaValue returned = run(script, obj, Map.of());
        if (returned.isnil()) {
            return new HealthStatus("", "");
        }
        requireTable(returned);
        JsonNode json = toJson(returned);
        if (!json.isObject()) {
            // Go's json.Unmarshal of an array into the struct fails with a type error, which Argo CD reads as empty.
            return new HealthStatus("", "");
        }
        JsonNode status = field(json, "status");
        JsonNode message = field(json, "message");
        if ((status != null && !status.isTextual()) || (message != null && !message.isTextual())) {
            // Any other type mismatch is the same type error, read the same way.
            return new HealthStatus("", "");
        }
        String code = status == null ? "" : status.asText();
        if (!HEALTH_STATUSES.contains(code)) {
            return new HealthStatus("Unknown", INVALID_HEALTH_STATUS);
        }
        return new HealthStatus(code, message == null ? "" : message.asText());
    }

    static List<ResourceAction> discovery(String script, JsonNode obj) {
        LuaValue returned = run(script, obj, Map.of());
        requireTable(returned);
        JsonNode json = toJson(returned);
        if (json.isArray() && json.isEmpty()) {
            return List.of();
        }
        if (!json.isObject()) {
            throw new ScriptException("error unmarshaling action table: the discovery script returned an array");
        }
        List<ResourceAction> actions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                // An empty table: the action with no attributes, enabled.
                actions.add(new ResourceAction(entry.getKey(), false, "", ""));
                continue;
            }
            if (!value.isObject()) {
                throw new ScriptException("error unmarshaling resource action " + entry.getKey() + ": " + value
                        .getNodeType() + " is not an object");
            }
            JsonNode name = field(value, "name");
            JsonNode disabled = field(value, "disabled");
            JsonNode icon = field(value, "iconClass");
            JsonNode display = field(value, "displayName");
            for (JsonNode text : new JsonNode[]{name, icon, display}) {
                if (text != null && !text.isTextual()) {
                    throw new ScriptException("error unmarshaling resource action " + entry.getKey()
                            + ": a string field holds " + text.getNodeType());
                }
            }
            if (disabled != null && !disabled.isBoolean()) {
                throw new ScriptException("error unmarshaling resource action " + entry.getKey()
                        + ": disabled holds " + disabled.getNodeType());
            }
            actions.add(new ResourceAction(name == null ? entry.getKey() : name.asText(),
                    disabled != null && disabled.asBoolean(), icon == null ? "" : icon.asText(),
                    display == null ? "" : display.asText()));
        }
        return actions;
    }

    /** The object an old-style action returns (the modified source resource), cleaned as Argo CD cleans it. */
    static JsonNode action(String script, JsonNode obj, Map<String, String> parameters) {
        LuaValue returned = run(script, obj, parameters);
        requireTable(returned);
        JsonNode json = toJson(returned);
        if (json.isArray()) {
            // New-style actions (a list of impacted resources to create or patch) are not used by ModelOps.
            throw new ScriptException("the action returned a list of impacted resources; this runner reads only "
                    + "actions that return the modified object");
        }
        return cleanReturned((ObjectNode) json, obj);
    }

    /** Runs {@code script} with {@code obj} and returns its last return value (nil when it returns nothing). */
    static LuaValue run(String script, JsonNode obj, Map<String, String> parameters) {
        Globals globals = sandbox();
        LuaTable params = new LuaTable();
        parameters.forEach((k, v) -> params.set(k, LuaValue.valueOf(v)));
        globals.set("actionParams", params);
        globals.set("obj", toLua(obj));
        LuaValue chunk;
        try {
            chunk = globals.load(script, "script");
        } catch (LuaError e) {
            throw new ScriptException(e.getMessage());
        }
        Deadline deadline = new Deadline(TIMEOUT);
        globals.debuglib = deadline;
        try {
            Varargs returned = chunk.invoke();
            return returned.narg() == 0 ? LuaValue.NIL : returned.arg(returned.narg());
        } catch (LuaError e) {
            LuaValue raised = e.getMessageObject();
            String message = raised == null ? String.valueOf(e.getMessage()) : raised.tojstring();
            throw new ScriptException(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
        } finally {
            globals.debuglib = null;
        }
    }

    /** A fresh state with what Argo CD opens for argocd-cm scripts, and nothing more. */
    static Globals sandbox() {
        // The string metatable is global to LuaJ; only StringLib sets it, and no state here may have it.
        LuaString.s_metatable = null;
        Globals globals = new Globals();
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.set("rawlen", LuaValue.NIL);
        // Lua's error(message, 0) raises the message alone; LuaJ would prefix the position anyway.
        LuaValue positioned = globals.get("error");
        globals.set("error", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.optint(2, 1) == 0) {
                    throw new LuaError(args.arg1());
                }
                return positioned.invoke(args);
            }
        });
        LuaValue table = globals.get("table");
        table.set("pack", LuaValue.NIL);
        table.set("unpack", LuaValue.NIL);
        // No loading of Java classes through require: gopher-lua's require finds Lua modules only.
        LuaTable searchers = new LuaTable();
        searchers.set(1, globals.package_.preload_searcher);
        searchers.set(2, globals.package_.lua_searcher);
        globals.get("package").set("searchers", searchers);
        LuaTable os = safeOs();
        globals.set("os", os);
        globals.get("package").get("loaded").set("os", os);
        return globals;
    }

    private static void requireTable(LuaValue value) {
        if (!value.istable()) {
            throw new ScriptException("expect table output from Lua script, not " + value.typename());
        }
    }

    /** Go's encoding/json matches struct fields exactly first, then ignoring case. */
    private static JsonNode field(JsonNode object, String name) {
        if (object.has(name)) {
            return object.get(name);
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (key.equalsIgnoreCase(name)) {
                return object.get(key);
            }
        }
        return null;
    }

    /** Argo CD's decodeValue: the unstructured object, value by value. */
    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            node.fields().forEachRemaining(e -> table.set(e.getKey(), toLua(e.getValue())));
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            int index = 1;
            for (JsonNode item : node) {
                table.set(index++, toLua(item));
            }
            return table;
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        if (node.isNumber()) {
            // gopher-lua has one number type, float64.
            return LuaValue.valueOf(node.asDouble());
        }
        return LuaValue.valueOf(node.asText());
    }

    /** gopher-json's Encode, which Argo CD uses to read every script's result. */
    static JsonNode toJson(LuaValue value) {
        return toJson(value, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static JsonNode toJson(LuaValue value, Set<LuaValue> visited) {
        switch (value.type()) {
            case LuaValue.TNIL :
                return NODES.nullNode();
            case LuaValue.TBOOLEAN :
                return NODES.booleanNode(value.toboolean());
            case LuaValue.TNUMBER : {
                double d = value.todouble();
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode((long) d) : NODES.numberNode(d);
            }
            case LuaValue.TSTRING :
                return NODES.textNode(value.tojstring());
            case LuaValue.TTABLE :
                return tableToJson((LuaTable) value, visited);
            default :
                throw new ScriptException("cannot encode " + value.typename() + " to JSON");
        }
    }

    private static JsonNode tableToJson(LuaTable table, Set<LuaValue> visited) {
        // gopher-json never forgets a table it has seen: the same table reached twice is an error, not only a cycle.
        if (!visited.add(table)) {
            throw new ScriptException("cannot encode recursively nested tables to JSON");
        }
        Varargs first = table.next(LuaValue.NIL);
        LuaValue key = first.arg1();
        if (key.isnil()) {
            return NODES.arrayNode();
        }
        if (key.type() == LuaValue.TNUMBER) {
            ArrayNode array = NODES.arrayNode();
            int expected = 1;
            for (Varargs entry = first; !entry.arg1().isnil(); entry = table.next(entry.arg1())) {
                LuaValue k = entry.arg1();
                if (k.type() != LuaValue.TNUMBER) {
                    throw new ScriptException("cannot encode mixed or invalid key types");
                }
                if (k.todouble() != expected) {
                    throw new ScriptException("cannot encode sparse array");
                }
                array.add(toJson(entry.arg(2), visited));
                expected++;
            }
            return array;
        }
        if (key.type() == LuaValue.TSTRING) {
            ObjectNode object = NODES.objectNode();
            for (Varargs entry = first; !entry.arg1().isnil(); entry = table.next(entry.arg1())) {
                LuaValue k = entry.arg1();
                if (k.type() != LuaValue.TSTRING) {
                    throw new ScriptException("cannot encode mixed or invalid key types");
                }
                object.set(k.tojstring(), toJson(entry.arg(2), visited));
            }
            return object;
        }
        throw new ScriptException("cannot encode mixed or invalid key types");
    }

    /**
     * Argo CD's cleanReturnedObj: Lua cannot tell an empty object from an empty array, so where the source object had
     * an object and the script returns an empty array, the object is put back; arrays are walked the same way.
     */
    static ObjectNode cleanReturned(ObjectNode returned, JsonNode original) {
        for (Iterator<String> it = original.fieldNames(); it.hasNext();) {
            String key = it.next();
            JsonNode now = returned.get(key);
            JsonNode before = original.get(key);
            if (now == null) {
                continue;
            }
            if (now.isObject() && before.isObject()) {
                returned.set(key, cleanReturned((ObjectNode) now, before));
            } else if (now.isArray() && before.isObject() && now.isEmpty()) {
                returned.set(key, NODES.objectNode());
            } else if (now.isArray() && before.isArray()) {
                returned.set(key, cleanReturned((ArrayNode) now, before));
            }
        }
        return returned;
    }

    private static ArrayNode cleanReturned(ArrayNode returned, JsonNode original) {
        for (int i = 0; i < returned.size() && i < original.size(); i++) {
            JsonNode now = returned.get(i);
            JsonNode before = original.get(i);
            if (now.isObject() && before.isObject()) {
                returned.set(i, cleanReturned((ObjectNode) now, before));
            } else if (now.isArray() && before.isArray()) {
                returned.set(i, cleanReturned((ArrayNode) now, before));
            }
        }
        return returned;
    }

    /** Argo CD's oslib_safe: os.time and os.date, nothing that reaches the process or the file system. */
    private static LuaTable safeOs() {
        LuaTable os = new LuaTable();
        os.set("time", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() == 0) {
                    return LuaValue.valueOf(Instant.now().getEpochSecond());
                }
                LuaTable t = args.checktable(1);
                LocalDateTime local = LocalDateTime.of(t.get("year").optint(-1), t.get("month").optint(-1),
                        t.get("day").optint(-1), t.get("hour").optint(12), t.get("min").optint(0),
                        t.get("sec").optint(0));
                return LuaValue.valueOf(local.atZone(ZoneId.systemDefault()).toEpochSecond());
            }
        });
        os.set("date", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String format = args.narg() >= 1 ? args.checkjstring(1) : "%c";
                ZonedDateTime time = ZonedDateTime.now();
                if (format.startsWith("!")) {
                    time = time.withZoneSameInstant(ZoneOffset.UTC);
                    format = format.substring(1);
                }
                if (args.narg() >= 2) {
                    // As in oslib_safe: an explicit time is local time, "!" or not.
                    time = Instant.ofEpochSecond(args.checklong(2)).atZone(ZoneId.systemDefault());
                }
                if (format.startsWith("*t")) {
                    LuaTable t = new LuaTable();
                    t.set("year", time.getYear());
                    t.set("month", time.getMonthValue());
                    t.set("day", time.getDayOfMonth());
                    t.set("hour", time.getHour());
                    t.set("min", time.getMinute());
                    t.set("sec", time.getSecond());
                    t.set("wday", time.getDayOfWeek().getValue() % 7 + 1);
                    t.set("yday", 0);
                    t.set("isdst", LuaValue.FALSE);
                    return t;
                }
                return LuaValue.valueOf(strftime(time, format));
            }
        });
        return os;
    }

    /** The strftime flags oslib_safe knows; others are copied through as gopher-lua does. */
    private static String strftime(ZonedDateTime time, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char flag = format.charAt(++i);
            String pattern = switch (flag) {
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'c' -> "dd MMM yy HH:mm z";
                case 'd' -> "dd";
                case 'F' -> "yyyy-MM-dd";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'm' -> "MM";
                case 'M' -> "mm";
                case 'p' -> "a";
                case 'S' -> "ss";
                case 'x' -> "HH/mm/ss";
                case 'X' -> "HH:mm:ss";
                case 'y' -> "yy";
                case 'Y' -> "yyyy";
                case 'z' -> "xx";
                case 'Z' -> "z";
                default -> null;
            };
            if (pattern != null) {
                out.append(DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(time));
            } else if (flag == 'w') {
                out.append(time.getDayOfWeek().getValue() % 7);
            } else {
                out.append('%').append(flag);
            }
        }
        return out.toString();
    }

    /** Stops a script that runs past Argo CD's budget, between two instructions. */
    private static final class Deadline extends DebugLib {
        private final long end;

        Deadline(Duration budget) {
            this.end = System.nanoTime() + budget.toNanos();
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if (System.nanoTime() - end > 0) {
                throw new LuaError("context deadline exceeded");
            }
        }

        @Override
        public void onCall(LuaFunction f) {
        }

        @Override
        public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        }

        @Override
        public void onReturn() {
        }

        /** Argo CD strips the stack trace from a script's error before a person sees it; LuaJ appends this. */
        @Override
        public String traceback(int level) {
            return "";
        }
    }
}
