package dev.baton.api.event;

import static java.util.Objects.requireNonNull;

/**
 * What a node was built from, as SHA-256 hashes: what {@code state:modified} compares.
 *
 * @param body the compiled SQL (for seeds: the file's content)
 * @param config the configuration that changes what is built (not tags, meta or docs)
 * @param contract the contract and the declared column types when it is enforced
 * @param combined body, config and contract together with the combined fingerprints of every
 *     upstream node: it changes when anything the node's data depends on changes
 */
public record Fingerprint(String body, String config, String contract, String combined) {
    public Fingerprint {
        requireNonNull(body, "body is null");
        requireNonNull(config, "config is null");
        requireNonNull(contract, "contract is null");
        requireNonNull(combined, "combined is null");
    }
}
