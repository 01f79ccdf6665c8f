package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateRelationTest {
    @Test
    void readsTwoOrThreeQuotedNames() {
        TemplateRelation two = TemplateRelation.parse("\"main\".\"orders\"").orElseThrow();
        assertThat(two.getDatabase()).isNull();
        assertThat(two.getSchema()).isEqualTo("main");
        assertThat(two.getIdentifier()).isEqualTo("orders");
        assertThat(two).hasToString("\"main\".\"orders\"");

        TemplateRelation three = TemplateRelation.parse("\"db\".\"a.b\".\"say \"\"hi\"\"\"").orElseThrow();
        assertThat(three.getDatabase()).isEqualTo("db");
        assertThat(three.getSchema()).isEqualTo("a.b");
        assertThat(three.getIdentifier()).isEqualTo("say \"hi\"");
    }

    @Test
    void anythingElseIsNoRelation() {
        for (String text : new String[] {"", "orders", "main.orders", "\"orders\"", "\"main\".\"orders", "\"main\".", "\"main\".orders",
                "\"main\"\"orders\"x", "\"a\".\"b\".\"c\".\"d\""}) {
            assertThat(TemplateRelation.parse(text)).as(text).isEmpty();
        }
    }
}
