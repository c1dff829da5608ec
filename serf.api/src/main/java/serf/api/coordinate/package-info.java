/**
 * Vivaldi network coordinates, as Go's {@code serf/coordinate}: each node keeps a
 * {@link serf.api.coordinate.Coordinate} updated from the round-trip times of its probes
 * ({@link serf.api.coordinate.CoordinateClient}), and the distance between two coordinates
 * estimates the round trip between their nodes. Serf carries them in memberlist's ping acks
 * ({@link serf.api.coordinate.CoordinateCodec}); read them with
 * {@link serf.api.Serf#getCoordinate()} and {@link serf.api.Serf#getCachedCoordinate(String)}.
 * The arithmetic follows Go's step by step, so Java and Go nodes fed the same samples agree.
 */
package serf.api.coordinate;
