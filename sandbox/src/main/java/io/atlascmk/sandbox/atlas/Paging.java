package io.atlascmk.sandbox.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Atlas list paging: {@code pageNum} (1-based, default 1), {@code itemsPerPage} (default 100, 1..500),
 * {@code includeCount} (default true). A page carries {@code results}, {@code totalCount} (when counted)
 * and {@code links}: {@code self}, and {@code previous} / {@code next} when those pages exist, each a
 * full URL with the request's other query parameters kept. A page past the end is empty.
 */
final class Paging {

    static final int DEFAULT_ITEMS_PER_PAGE = 100;
    static final int MAX_ITEMS_PER_PAGE = 500;

    final int pageNum;
    final int itemsPerPage;
    final boolean includeCount;

    private Paging(int pageNum, int itemsPerPage, boolean includeCount) {
        this.pageNum = pageNum;
        this.itemsPerPage = itemsPerPage;
        this.includeCount = includeCount;
    }

    static Paging from(Map<String, List<String>> query) {
        int pageNum = intParam(query, "pageNum", 1);
        if (pageNum < 1) {
            throw AtlasApiError.invalidParameter("pageNum", String.valueOf(pageNum), "it must be 1 or more");
        }
        int itemsPerPage = intParam(query, "itemsPerPage", DEFAULT_ITEMS_PER_PAGE);
        if (itemsPerPage < 1 || itemsPerPage > MAX_ITEMS_PER_PAGE) {
            throw AtlasApiError.invalidParameter("itemsPerPage", String.valueOf(itemsPerPage), "it must be between 1 and " + MAX_ITEMS_PER_PAGE);
        }
        boolean includeCount = true;
        String ic = first(query, "includeCount");
        if (ic != null) {
            if (!ic.equals("true") && !ic.equals("false")) {
                throw AtlasApiError.invalidParameter("includeCount", ic, "it must be true or false");
            }
            includeCount = Boolean.parseBoolean(ic);
        }
        return new Paging(pageNum, itemsPerPage, includeCount);
    }

    <T> ObjectNode page(List<T> all, Function<T, JsonNode> render, String baseUrl, String path, Map<String, List<String>> query) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("links", links(all.size(), baseUrl, path, query));
        long from = (long) (pageNum - 1) * itemsPerPage;
        ArrayNode results = out.putArray("results");
        for (long i = from; i < Math.min(all.size(), from + itemsPerPage); i++) {
            results.add(render.apply(all.get((int) i)));
        }
        if (includeCount) {
            out.put("totalCount", all.size());
        }
        return out;
    }

    /** The page's links: itself, the previous page unless it is the first, the next unless it is the last. */
    private ArrayNode links(int total, String baseUrl, String path, Map<String, List<String>> query) {
        ArrayNode links = JsonNodeFactory.instance.arrayNode();
        link(links, "self", pageNum, baseUrl, path, query);
        if (pageNum > 1) {
            link(links, "previous", pageNum - 1, baseUrl, path, query);
        }
        if ((long) (pageNum - 1) * itemsPerPage + itemsPerPage < total) {
            link(links, "next", pageNum + 1, baseUrl, path, query);
        }
        return links;
    }

    /** Writes an item of a page. */
    @FunctionalInterface
    interface ItemWriter<T> {
        void write(com.fasterxml.jackson.core.JsonGenerator out, T item) throws java.io.IOException;
    }

    /**
     * The same page as {@link #page}, written straight out item by item (a page of 500 snapshots is never
     * built as a tree).
     */
    <T> void write(com.fasterxml.jackson.core.JsonGenerator out, List<T> all, ItemWriter<T> item, String baseUrl,
                   String path, Map<String, List<String>> query) throws java.io.IOException {
        ArrayNode links = links(all.size(), baseUrl, path, query);
        long from = (long) (pageNum - 1) * itemsPerPage;
        out.writeStartObject();
        out.writeArrayFieldStart("links");
        for (JsonNode l : links) {
            out.writeStartObject();
            out.writeStringField("href", l.get("href").asText());
            out.writeStringField("rel", l.get("rel").asText());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("results");
        for (long i = from; i < Math.min(all.size(), from + itemsPerPage); i++) {
            item.write(out, all.get((int) i));
        }
        out.writeEndArray();
        if (includeCount) {
            out.writeNumberField("totalCount", all.size());
        }
        out.writeEndObject();
    }

    private void link(ArrayNode links, String rel, int page, String baseUrl, String path, Map<String, List<String>> query) {
        Map<String, List<String>> q = new LinkedHashMap<>(query);
        q.put("pageNum", List.of(String.valueOf(page)));
        q.put("itemsPerPage", List.of(String.valueOf(itemsPerPage)));
        StringBuilder href = new StringBuilder(baseUrl).append(path);
        char sep = '?';
        for (Map.Entry<String, List<String>> e : q.entrySet()) {
            for (String v : e.getValue()) {
                href.append(sep).append(enc(e.getKey())).append('=').append(enc(v));
                sep = '&';
            }
        }
        ObjectNode l = links.addObject();
        l.put("href", href.toString());
        l.put("rel", rel);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int intParam(Map<String, List<String>> query, String name, int dflt) {
        String v = first(query, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw AtlasApiError.invalidParameter(name, v, "it must be an integer");
        }
    }

    static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
