package dev.baton.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    @Test
    void theLatestVersionConstantMatchesTheNewestBundledMigration() throws Exception {
        Path folder = resourceFolder();
        int newest;
        try (Stream<Path> files = Files.list(folder)) {
            newest = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.+\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow();
        }
        assertThat(StateSchema.LATEST_VERSION).isEqualTo(newest);
    }

    @Test
    void hidesPasswordsInUrls() {
        assertThat(StateStoreOpener.redact("jdbc:postgresql://db:5432/baton?user=ops&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/baton?user=ops&password=***&ssl=true");
        assertThat(StateStoreOpener.redact("jdbc:postgresql://db/baton?PASSWORD=s3cret"))
                .isEqualTo("jdbc:postgresql://db/baton?PASSWORD=***");
        assertThat(StateStoreOpener.redact("jdbc:postgresql://ops:s3cret@db/baton"))
                .isEqualTo("jdbc:postgresql://ops:***@db/baton");
        assertThat(StateStoreOpener.redact("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    private static Path resourceFolder() throws URISyntaxException {
        return Path.of(MigrationsTest.class.getResource("/" + StateSchema.MIGRATIONS + "/V1__runs.sql").toURI()).getParent();
    }
}
