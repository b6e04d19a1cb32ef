package dev.statehouse.security;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventTicketsTest {

    private static AuthProperties props(String token) {
        return new AuthProperties(true, Map.of("t", new AuthProperties.Token(null, token, List.of("read"))),
                Path.of("unused"), Duration.ofMinutes(5));
    }

    @Test
    void aTicketExpiresNamesOneBoardAndIsAcceptedByEveryReplicaWithTheSameTokens() {
        Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
        EventTickets issuer = new EventTickets(new TokenStore(props("a-token-of-twenty-chars")), props("x"), Clock.fixed(t0, ZoneOffset.UTC));
        EventTickets.Ticket ticket = issuer.issue("board-a");
        assertThat(ticket.expiresAt()).isEqualTo(t0.plusSeconds(300));

        EventTickets replica = new EventTickets(new TokenStore(props("a-token-of-twenty-chars")), props("x"),
                Clock.fixed(t0.plusSeconds(299), ZoneOffset.UTC));
        assertThat(replica.valid(ticket.ticket(), "board-a")).isTrue();
        assertThat(replica.valid(ticket.ticket(), "board-b")).isFalse();

        EventTickets later = new EventTickets(new TokenStore(props("a-token-of-twenty-chars")), props("x"),
                Clock.fixed(t0.plusSeconds(300), ZoneOffset.UTC));
        assertThat(later.valid(ticket.ticket(), "board-a")).as("expired").isFalse();

        EventTickets otherTokens = new EventTickets(new TokenStore(props("another-token-of-twenty")), props("x"),
                Clock.fixed(t0, ZoneOffset.UTC));
        assertThat(otherTokens.valid(ticket.ticket(), "board-a")).as("signed with other tokens").isFalse();
        assertThat(replica.valid("garbage", "board-a")).isFalse();
        assertThat(replica.valid(null, "board-a")).isFalse();
    }
}
