package dev.baton.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.event.Fingerprint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The combined hash keeps the text it has always hashed, so fingerprints recorded by earlier runs still compare. */
class FingerprintsTest {
    private static final String BODY = Fingerprints.sha256("select 1");
    private static final String CONFIG = Fingerprints.sha256("{materialized=view}");
    private static final String CONTRACT = Fingerprints.sha256("");

    @Test
    void theCombinedHashIsTheHashOfTheOwnHashesThenEachParentInNameOrder() {
        String upstream = Fingerprints.sha256("upstream");
        Fingerprint combined = Fingerprints.combine(new Fingerprint(BODY, CONFIG, CONTRACT, ""), List.of("model.p.z", "source.p.app.events", "model.p.a"),
                parent -> Map.of("model.p.z", upstream, "model.p.a", upstream).getOrDefault(parent, ""));

        String text = BODY + "\n" + CONFIG + "\n" + CONTRACT + "\nmodel.p.a=" + upstream + "\nmodel.p.z=" + upstream + "\nsource.p.app.events=";
        assertThat(combined).isEqualTo(new Fingerprint(BODY, CONFIG, CONTRACT, Fingerprints.sha256(text)));
    }

    @Test
    void theTextIsReusedFromNodeToNodeWithoutCarryingAnythingOver() {
        java.util.HexFormat hex = java.util.HexFormat.of();
        byte[] body = hex.parseHex(BODY);
        byte[] config = hex.parseHex(CONFIG);
        byte[] contract = hex.parseHex(CONTRACT);
        Fingerprints.CombinedText text = new Fingerprints.CombinedText();
        byte[] id = "model.p.a_very_long_parent_name_that_makes_the_buffer_grow".repeat(20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        text.start(body, 0, config, 0, contract, 0).parent(id, 0, id.length, body, 0);
        byte[] first = new byte[32];
        text.hashInto(first, 0);
        text.start(body, 0, config, 0, contract, 0);
        byte[] alone = new byte[40];
        text.hashInto(alone, 8);

        assertThat(hex.formatHex(first)).isEqualTo(Fingerprints.sha256(BODY + "\n" + CONFIG + "\n" + CONTRACT + "\n" + new String(id) + "=" + BODY));
        assertThat(hex.formatHex(alone, 8, 40)).isEqualTo(Fingerprints.sha256(BODY + "\n" + CONFIG + "\n" + CONTRACT));
    }

    @Test
    void theTextOfHexDigitsIsTheTextOfTheBytesTheyStandFor() {
        java.util.HexFormat hex = java.util.HexFormat.of();
        String upstream = Fingerprints.sha256("upstream");
        byte[] id = "model.p.a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] fromBytes = new byte[32];
        new Fingerprints.CombinedText().start(hex.parseHex(BODY), 0, hex.parseHex(CONFIG), 0, hex.parseHex(CONTRACT), 0)
                .parent(id, 0, id.length, hex.parseHex(upstream), 0).parent(id, 0, id.length, null, 0).hashInto(fromBytes, 0);
        byte[] fromDigits = new byte[32];
        new Fingerprints.CombinedText().start(BODY, CONFIG, CONTRACT).parent("model.p.a", upstream).parent("model.p.a", "").hashInto(fromDigits, 0);

        assertThat(fromDigits).isEqualTo(fromBytes);
        assertThatThrownBy(() -> new Fingerprints.CombinedText().start(BODY, "abc", CONTRACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a SHA-256 hash in hex: 'abc'");
    }

    @Test
    void hexDigitsAreParsedInPlaceAsHexFormatParsesThem() {
        String hash = Fingerprints.sha256("select 1");
        byte[] out = new byte[40];
        Fingerprints.parseHexInto(hash, out, 8);
        byte[] upper = new byte[32];
        Fingerprints.parseHexInto(hash.toUpperCase(java.util.Locale.ROOT), upper, 0);

        assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(java.util.HexFormat.of().parseHex(hash)).isEqualTo(upper);
        assertThat(java.util.Arrays.copyOfRange(out, 0, 8)).containsOnly(0);
        String bad = hash.substring(0, 63) + "g";
        assertThatThrownBy(() -> Fingerprints.parseHexInto(bad, out, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a SHA-256 hash in hex: '" + bad + "'");
        assertThatThrownBy(() -> Fingerprints.parseHexInto(hash.substring(0, 62) + "\u00e9f", out, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
