/**
 * What every feature shares and that knows neither HTTP nor SQL: identifiers ({@link dev.statehouse.domain.Ids}),
 * the text rule ({@link dev.statehouse.domain.Text}, {@link dev.statehouse.domain.CleanText}) and the
 * failures a use case can end in ({@link dev.statehouse.domain.DomainException}).
 * <p>
 * Invariants: nothing here imports {@code org.springframework.http}, {@code jakarta.servlet} or
 * {@code dev.statehouse.web}; a {@code DomainException} is thrown before anything is written (or
 * with the transaction rolling back); only {@code web.ProblemHandler} turns it into a status.
 */
package dev.statehouse.domain;
