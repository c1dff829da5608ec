package serf.api.coordinate;

/**
 * Tuning of the Vivaldi network-coordinate algorithm, as Go's {@code coordinate.Config}. Use
 * {@link #defaults()}: every Serf node must agree on the dimensionality, and the values are those
 * the Go agents use.
 *
 * @param dimensionality        number of Euclidean dimensions of {@link Coordinate#vec()}; default 8
 *                              (Go's {@code Dimensionality})
 * @param vivaldiErrorMax       upper bound (and starting value) of a coordinate's error, dimensionless;
 *                              default 1.5 (Go's {@code VivaldiErrorMax})
 * @param vivaldiCE             weight of a new sample in the error estimate; default 0.25 (Go's {@code VivaldiCE})
 * @param vivaldiCC             how far one sample moves the coordinate; default 0.25 (Go's {@code VivaldiCC})
 * @param adjustmentWindowSize  RTT residuals averaged into {@link Coordinate#adjustment()}, in samples; 0
 *                              disables it; default 20 (Go's {@code AdjustmentWindowSize})
 * @param heightMin             lowest height, in seconds; default 10 µs (Go's {@code HeightMin})
 * @param latencyFilterSize     RTT samples per peer whose median feeds the algorithm; default 3
 *                              (Go's {@code LatencyFilterSize})
 * @param gravityRho            pull towards the origin (larger = weaker), in seconds; default 150
 *                              (Go's {@code GravityRho})
 */
public record CoordinateConfig(int dimensionality, double vivaldiErrorMax, double vivaldiCE, double vivaldiCC,
                               int adjustmentWindowSize, double heightMin, int latencyFilterSize,
                               double gravityRho) {

    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException when a size is out of range
     */
    public CoordinateConfig {
        if (dimensionality <= 0) {
            throw new IllegalArgumentException("dimensionality must be >0");
        }
        if (adjustmentWindowSize < 0) {
            throw new IllegalArgumentException("adjustmentWindowSize must be >= 0");
        }
        if (latencyFilterSize <= 0) {
            throw new IllegalArgumentException("latencyFilterSize must be >0");
        }
    }

    /** {@return Go's {@code coordinate.DefaultConfig()}: 8 dimensions, the values Go agents use} */
    public static CoordinateConfig defaults() {
        return new CoordinateConfig(8, 1.5, 0.25, 0.25, 20, 10.0e-6, 3, 150.0);
    }
}
