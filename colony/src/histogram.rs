//! Histogram points as distributions: the per-interval deltas of a series,
//! and quantiles estimated from the merged buckets of those deltas.
//!
//! * Buckets follow the OpenTelemetry metrics data model
//!   (`opentelemetry/proto/metrics/v1/metrics.proto`): explicit buckets
//!   `(-inf, b0], (b0, b1], …, (b_{n-1}, +inf)`; exponential buckets at
//!   scale `s` with base `2^(2^-s)`, index `i` covering `(base^i,
//!   base^(i+1)]` (negative values mirrored) plus a zero bucket.
//! * Deltas: a cumulative point minus the series' previous point, unless
//!   the start time changed or a count dropped (a reset: the point counts
//!   from its own start, as a first point does); delta points as they are.
//! * Quantiles follow Prometheus `histogram_quantile`: rank `q × count`,
//!   linear interpolation inside the explicit bucket that holds the rank, the
//!   lowest bucket starting at 0 when its bound is positive, a rank in the
//!   `+inf` bucket answering the highest finite bound. Exponential buckets
//!   interpolate on a log scale (as Prometheus does for native histograms).
//!   Known `min`/`max` narrow the outermost buckets and clamp the answer.
//!   Buckets of different layouts (series with other bounds or scales) are
//!   merged as one distribution: each bucket spreads its count over its
//!   range, and the answer is where the summed distribution reaches the
//!   rank.

/// How a point's counts relate to earlier points of its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporality {
    /// Counts since the previous export.
    Delta,
    /// Counts since the series' start time.
    Cumulative,
}

impl Temporality {
    /// The name stored in `metric_points.temporality`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delta => "DELTA",
            Self::Cumulative => "CUMULATIVE",
        }
    }

    /// The inverse of [`Temporality::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "DELTA" => Some(Self::Delta),
            "CUMULATIVE" => Some(Self::Cumulative),
            _ => None,
        }
    }
}

/// Counts of consecutive exponential buckets, the first at index `offset`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dense {
    /// Index of `counts[0]`.
    pub offset: i32,
    /// One count per bucket.
    pub counts: Vec<u64>,
}

impl Dense {
    /// The same observations at a scale `shift` steps coarser (the data
    /// model's downscaling: index `i` becomes `i >> shift`).
    fn downscale(&self, shift: u32) -> Self {
        if shift == 0 || self.counts.is_empty() {
            return self.clone();
        }
        let shift = shift.min(62);
        let first = (i64::from(self.offset)) >> shift;
        let mut counts: Vec<u64> = Vec::new();
        for (k, &c) in self.counts.iter().enumerate() {
            let index = (i64::from(self.offset) + k as i64) >> shift;
            let at = (index - first) as usize;
            if counts.len() <= at {
                counts.resize(at + 1, 0);
            }
            counts[at] = counts[at].saturating_add(c);
        }
        Self {
            offset: first as i32,
            counts,
        }
    }

    /// `self - earlier`, bucket by bucket; `None` when a count dropped.
    fn minus(&self, earlier: &Self) -> Option<Self> {
        let mut out = self.clone();
        for (k, &c) in earlier.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let index = i64::from(earlier.offset) + k as i64;
            let at = usize::try_from(index - i64::from(self.offset)).ok()?;
            let slot = out.counts.get_mut(at)?;
            *slot = slot.checked_sub(c)?;
        }
        Some(out)
    }
}

/// The buckets of one point.
#[derive(Debug, Clone, PartialEq)]
pub enum Buckets {
    /// Explicit bounds: `counts.len() == bounds.len() + 1`, or both empty
    /// (a histogram that carries only its count and sum).
    Explicit {
        /// Strictly increasing, finite upper bounds.
        bounds: Vec<f64>,
        /// One count per bucket.
        counts: Vec<u64>,
    },
    /// Base-2 exponential buckets.
    Exponential {
        /// Resolution: base `2^(2^-scale)`.
        scale: i32,
        /// Observations whose magnitude is at most `zero_threshold`.
        zero_count: u64,
        /// Width of the zero bucket (0: exact zeros only).
        zero_threshold: f64,
        /// Buckets of positive values.
        positive: Dense,
        /// Buckets of negative values (by magnitude).
        negative: Dense,
    },
}

impl Buckets {
    /// Whether `self` and `other` can be subtracted bucket by bucket (the
    /// same bounds; exponential ones at any scales, one zero threshold).
    fn same_layout(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Self::Explicit { bounds, counts },
                Self::Explicit {
                    bounds: b,
                    counts: c,
                },
            ) => bounds == b && counts.len() == c.len(),
            (
                Self::Exponential { zero_threshold, .. },
                Self::Exponential {
                    zero_threshold: t, ..
                },
            ) => zero_threshold == t,
            _ => false,
        }
    }

    /// `self - earlier` when both have the same layout (exponential
    /// buckets at the coarser of the two scales); `None` when the layouts
    /// cannot be compared or a count dropped.
    fn minus(&self, earlier: &Self) -> Option<Self> {
        match (self, earlier) {
            (
                Self::Explicit { bounds, counts },
                Self::Explicit {
                    bounds: b0,
                    counts: c0,
                },
            ) => {
                if bounds != b0 || counts.len() != c0.len() {
                    return None;
                }
                let counts = counts
                    .iter()
                    .zip(c0)
                    .map(|(c, e)| c.checked_sub(*e))
                    .collect::<Option<Vec<_>>>()?;
                Some(Self::Explicit {
                    bounds: bounds.clone(),
                    counts,
                })
            }
            (
                Self::Exponential {
                    scale,
                    zero_count,
                    zero_threshold,
                    positive,
                    negative,
                },
                Self::Exponential {
                    scale: s0,
                    zero_count: z0,
                    zero_threshold: t0,
                    positive: p0,
                    negative: n0,
                },
            ) => {
                if zero_threshold != t0 {
                    return None;
                }
                let common = (*scale).min(*s0);
                let now_shift = (scale - common) as u32;
                let then_shift = (s0 - common) as u32;
                let positive = positive
                    .downscale(now_shift)
                    .minus(&p0.downscale(then_shift))?;
                let negative = negative
                    .downscale(now_shift)
                    .minus(&n0.downscale(then_shift))?;
                Some(Self::Exponential {
                    scale: common,
                    zero_count: zero_count.checked_sub(*z0)?,
                    zero_threshold: *zero_threshold,
                    positive,
                    negative,
                })
            }
            _ => None,
        }
    }
}

/// One stored histogram point of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramPoint {
    /// Start of the interval the counts cover (Unix ns; 0 when unknown).
    pub start_ns: i64,
    /// End of that interval: the point's time (Unix ns).
    pub time_ns: i64,
    /// How the counts relate to the previous point.
    pub temporality: Temporality,
    /// Observations.
    pub count: u64,
    /// Smallest observation, when the exporter sent it (for a cumulative
    /// point: since the start time, so a bound for any later interval).
    pub min: Option<f64>,
    /// Largest observation, when sent.
    pub max: Option<f64>,
    /// The buckets.
    pub buckets: Buckets,
}

/// The observations of one interval of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    /// End of the interval (Unix ns): the point's time.
    pub time_ns: i64,
    /// Observations in the interval.
    pub count: u64,
    /// Bounds on the observations (see [`HistogramPoint::min`]).
    pub min: Option<f64>,
    /// Bounds on the observations (see [`HistogramPoint::max`]).
    pub max: Option<f64>,
    /// Their buckets.
    pub buckets: Buckets,
    /// Share of `buckets`' counts that fall in the interval: 1, except
    /// after a layout change inside a cumulative series (new bounds, a new
    /// zero threshold), where the interval's observations are taken to be
    /// spread as the point's own buckets are.
    pub weight: f64,
}

/// The per-interval deltas of one series, whose points are in time order.
/// Every point gives one delta (the first point of a cumulative series
/// counts from its start time).
pub fn deltas(series: &[HistogramPoint]) -> Vec<Delta> {
    let mut out = Vec::with_capacity(series.len());
    let mut previous: Option<&HistogramPoint> = None;
    for point in series {
        let continues = point.temporality == Temporality::Cumulative
            && previous.is_some_and(|prev| {
                prev.temporality == Temporality::Cumulative
                    && prev.start_ns == point.start_ns
                    && point.count >= prev.count
            });
        let since_previous = previous.filter(|_| continues).and_then(|prev| {
            let count = point.count - prev.count;
            if !point.buckets.same_layout(&prev.buckets) {
                // Same start, more observations, another layout.
                let weight = count as f64 / point.count.max(1) as f64;
                return Some((count, point.buckets.clone(), weight));
            }
            // A bucket that dropped is a reset.
            point.buckets.minus(&prev.buckets).map(|b| (count, b, 1.0))
        });
        let (count, buckets, weight) =
            since_previous.unwrap_or((point.count, point.buckets.clone(), 1.0));
        out.push(Delta {
            time_ns: point.time_ns,
            count,
            min: point.min,
            max: point.max,
            buckets,
            weight,
        });
        previous = Some(point);
    }
    out
}

/// How observations spread inside one bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// All at `lo` (a bucket whose range is unknown or one value wide).
    Point,
    /// Evenly over `(lo, hi]`.
    Linear,
    /// Evenly in `ln(x)` over `(lo, hi]`, `0 < lo`.
    LogPositive,
    /// Evenly in `ln(-x)` over `[lo, hi)`, `hi < 0`.
    LogNegative,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    lo: f64,
    hi: f64,
    count: f64,
    shape: Shape,
}

impl Piece {
    /// Share of this piece's observations that are `<= x`.
    fn share(&self, x: f64) -> f64 {
        if self.shape == Shape::Point {
            return if x >= self.lo { 1.0 } else { 0.0 };
        }
        if x <= self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        match self.shape {
            Shape::Linear => (x - self.lo) / (self.hi - self.lo),
            Shape::LogPositive => (x / self.lo).ln() / (self.hi / self.lo).ln(),
            Shape::LogNegative => (self.lo / x).ln() / (self.lo / self.hi).ln(),
            Shape::Point => unreachable!("handled above"),
        }
    }
}

/// Why a quantile cannot be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuantileError {
    /// A histogram without buckets and without min/max says nothing about
    /// where its observations lie.
    #[error(
        "its histogram points carry no buckets (and no min/max), so their observations cannot be placed"
    )]
    NoBuckets,
    /// Stored bounds and counts that do not fit together (a damaged file).
    #[error("its stored buckets are inconsistent (bounds and counts of different lengths)")]
    Inconsistent,
}

/// An estimated quantile of the merged deltas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimate, in the metric's unit.
    pub value: f64,
    /// Observations merged (the sample count).
    pub count: u64,
}

/// The `q` quantile (`0 <= q <= 1`) of all observations in `deltas`, or
/// `None` when they hold none.
///
/// # Errors
/// [`QuantileError::NoBuckets`] when a delta with observations has neither
/// buckets nor min and max.
pub fn quantile(deltas: &[Delta], q: f64) -> Result<Option<Estimate>, QuantileError> {
    let known = |values: &mut dyn Iterator<Item = Option<f64>>| -> Option<Vec<f64>> {
        values.collect::<Option<Vec<f64>>>()
    };
    let live: Vec<&Delta> = deltas.iter().filter(|d| d.count > 0).collect();
    let total: u64 = live.iter().fold(0u64, |t, d| t.saturating_add(d.count));
    if total == 0 {
        return Ok(None);
    }
    // A bound holds for the merge only if every interval reported it.
    let min = known(&mut live.iter().map(|d| d.min))
        .map(|v| v.into_iter().fold(f64::INFINITY, f64::min))
        .filter(|v| v.is_finite());
    let max = known(&mut live.iter().map(|d| d.max))
        .map(|v| v.into_iter().fold(f64::NEG_INFINITY, f64::max))
        .filter(|v| v.is_finite());
    let mut pieces = Vec::new();
    for delta in &live {
        pieces_of(delta, &mut pieces)?;
    }
    // Intervals of one series share their layout: identical pieces are
    // summed, so the work depends on the distinct buckets, not on points.
    let mut merged: std::collections::HashMap<(u64, u64, u8), Piece> = Default::default();
    for p in pieces.into_iter().filter(|p| p.count > 0.0) {
        let p = clamp_piece(p, min, max);
        merged
            .entry((p.lo.to_bits(), p.hi.to_bits(), p.shape as u8))
            .and_modify(|m| m.count += p.count)
            .or_insert(p);
    }
    let pieces: Vec<Piece> = merged.into_values().collect();
    let rank = q.clamp(0.0, 1.0) * total as f64;
    let mut value = solve(&pieces, rank);
    if let Some(min) = min {
        value = value.max(min);
    }
    if let Some(max) = max {
        value = value.min(max);
    }
    Ok(Some(Estimate {
        value,
        count: total,
    }))
}

/// Narrows a piece to `[min, max]` (a piece left without width becomes a
/// point at the bound). Narrowing keeps a log-scale piece on its side of 0.
fn clamp_piece(mut p: Piece, min: Option<f64>, max: Option<f64>) -> Piece {
    let clamp = |x: f64| {
        let x = min.map_or(x, |m| x.max(m));
        max.map_or(x, |m| x.min(m))
    };
    p.lo = clamp(p.lo);
    p.hi = clamp(p.hi);
    if p.hi <= p.lo {
        p.shape = Shape::Point;
        p.hi = p.lo;
    }
    p
}

/// The buckets of one delta as pieces of a distribution.
fn pieces_of(delta: &Delta, out: &mut Vec<Piece>) -> Result<(), QuantileError> {
    match &delta.buckets {
        Buckets::Explicit { bounds, counts } if counts.is_empty() || bounds.is_empty() => {
            let (Some(lo), Some(hi)) = (delta.min, delta.max) else {
                return Err(QuantileError::NoBuckets);
            };
            out.push(Piece {
                lo,
                hi,
                count: delta.count as f64,
                shape: if hi > lo { Shape::Linear } else { Shape::Point },
            });
        }
        Buckets::Explicit { bounds, counts } => {
            if counts.len() != bounds.len() + 1 {
                return Err(QuantileError::Inconsistent);
            }
            let last = bounds.len();
            for (i, &count) in counts.iter().enumerate() {
                let piece = if i == 0 {
                    let upper = bounds[0];
                    match delta.min {
                        Some(min) if min < upper => linear(min, upper),
                        // Prometheus: the lowest bucket starts at 0 when
                        // its bound is positive, else is its bound.
                        None if upper > 0.0 => linear(0.0, upper),
                        _ => point(upper),
                    }
                } else if i == last {
                    let lower = bounds[last - 1];
                    match delta.max {
                        Some(max) if max > lower => linear(lower, max),
                        // Prometheus: a rank in the +Inf bucket answers the
                        // highest finite bound.
                        _ => point(lower),
                    }
                } else {
                    linear(bounds[i - 1], bounds[i])
                };
                out.push(Piece {
                    count: count as f64 * delta.weight,
                    ..piece
                });
            }
        }
        Buckets::Exponential {
            scale,
            zero_count,
            zero_threshold,
            positive,
            negative,
        } => {
            // Bounds past f64's range (legal at low scales) are clamped to
            // it, so every piece has finite, positive ends.
            let bound = |index: i64| {
                (index as f64 * (-f64::from(*scale)).exp2())
                    .exp2()
                    .clamp(f64::MIN_POSITIVE, f64::MAX)
            };
            for (k, &count) in positive.counts.iter().enumerate() {
                let index = i64::from(positive.offset) + k as i64;
                out.push(log_piece(
                    bound(index),
                    bound(index + 1),
                    count as f64 * delta.weight,
                    Shape::LogPositive,
                ));
            }
            for (k, &count) in negative.counts.iter().enumerate() {
                let index = i64::from(negative.offset) + k as i64;
                out.push(log_piece(
                    -bound(index + 1),
                    -bound(index),
                    count as f64 * delta.weight,
                    Shape::LogNegative,
                ));
            }
            if *zero_count > 0 {
                let t = zero_threshold.abs();
                out.push(Piece {
                    count: *zero_count as f64 * delta.weight,
                    ..if t > 0.0 { linear(-t, t) } else { point(0.0) }
                });
            }
        }
    }
    Ok(())
}

/// A log-scale piece, or a point where clamping left it no width.
fn log_piece(lo: f64, hi: f64, count: f64, shape: Shape) -> Piece {
    if hi > lo {
        Piece {
            lo,
            hi,
            count,
            shape,
        }
    } else {
        Piece { count, ..point(lo) }
    }
}

fn linear(lo: f64, hi: f64) -> Piece {
    Piece {
        lo,
        hi,
        count: 0.0,
        shape: Shape::Linear,
    }
}

fn point(at: f64) -> Piece {
    Piece {
        lo: at,
        hi: at,
        count: 0.0,
        shape: Shape::Point,
    }
}

/// The smallest `x` at which the pieces hold at least `rank` observations.
fn solve(pieces: &[Piece], rank: f64) -> f64 {
    let cdf = |x: f64| pieces.iter().map(|p| p.count * p.share(x)).sum::<f64>();
    let mut breaks: Vec<f64> = pieces.iter().flat_map(|p| [p.lo, p.hi]).collect();
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    let Some(&first) = breaks.first() else {
        return 0.0;
    };
    if rank <= 0.0 || cdf(first) >= rank {
        return first;
    }
    // Counts are summed as floats: allow for rounding at the top.
    let rank = rank.min(cdf(*breaks.last().unwrap_or(&first)));
    // The first break holding the rank, by binary search (the cumulative
    // count only grows): O(log breaks) passes over the pieces.
    let k = breaks.partition_point(|&b| cdf(b) < rank);
    if k == 0 {
        return first;
    }
    if let (Some(&below), Some(&at)) = (breaks.get(k - 1), breaks.get(k)) {
        // The answer is in (below, at]. Linear pieces alone give a linear
        // cumulative count there: solve it; otherwise bisect.
        let inside = |p: &&Piece| p.shape != Shape::Point && p.lo <= below && p.hi >= at;
        let all_linear = pieces
            .iter()
            .filter(inside)
            .all(|p| p.shape == Shape::Linear);
        if all_linear {
            let slope: f64 = pieces
                .iter()
                .filter(inside)
                .map(|p| p.count / (p.hi - p.lo))
                .sum();
            if slope > 0.0 {
                let x = below + (rank - cdf(below)) / slope;
                return x.min(at);
            }
            return at;
        }
        let (mut lo, mut hi) = (below, at);
        for _ in 0..200 {
            let mid = lo + (hi - lo) / 2.0;
            if mid <= lo || mid >= hi {
                break;
            }
            if cdf(mid) >= rank {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
    *breaks.last().unwrap_or(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explicit(bounds: &[f64], counts: &[u64]) -> Buckets {
        Buckets::Explicit {
            bounds: bounds.to_vec(),
            counts: counts.to_vec(),
        }
    }

    fn point_at(time_ns: i64, start_ns: i64, t: Temporality, buckets: Buckets) -> HistogramPoint {
        let count = match &buckets {
            Buckets::Explicit { counts, .. } => counts.iter().sum(),
            Buckets::Exponential {
                zero_count,
                positive,
                negative,
                ..
            } => {
                zero_count
                    + positive.counts.iter().sum::<u64>()
                    + negative.counts.iter().sum::<u64>()
            }
        };
        HistogramPoint {
            start_ns,
            time_ns,
            temporality: t,
            count,
            min: None,
            max: None,
            buckets,
        }
    }

    fn delta(buckets: Buckets) -> Delta {
        let p = point_at(1, 0, Temporality::Delta, buckets);
        Delta {
            time_ns: 1,
            count: p.count,
            min: None,
            max: None,
            buckets: p.buckets,
            weight: 1.0,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn explicit_buckets_follow_prometheus_histogram_quantile() {
        // 10 observations in (0, 1], 10 in (1, 2], 0 in (2, 4], 0 above.
        let d = [delta(explicit(&[1.0, 2.0, 4.0], &[10, 10, 0, 0]))];
        let q = |q| quantile(&d, q).unwrap().unwrap().value;
        assert!(close(q(0.5), 1.0), "{}", q(0.5));
        assert!(close(q(0.25), 0.5));
        assert!(close(q(0.75), 1.5));
        assert!(close(q(1.0), 2.0));
        assert_eq!(quantile(&d, 0.5).unwrap().unwrap().count, 20);
        // A rank in the +Inf bucket answers the highest finite bound.
        let d = [delta(explicit(&[1.0, 2.0], &[1, 1, 8]))];
        assert!(close(quantile(&d, 0.9).unwrap().unwrap().value, 2.0));
        // The lowest bucket starts at 0 when its bound is positive.
        let d = [delta(explicit(&[10.0], &[4, 0]))];
        assert!(close(quantile(&d, 0.5).unwrap().unwrap().value, 5.0));
    }

    #[test]
    fn min_and_max_narrow_the_outer_buckets_and_clamp() {
        let mut d = delta(explicit(&[10.0, 20.0], &[0, 4, 4]));
        d.min = Some(12.0);
        d.max = Some(30.0);
        let q = |q| {
            quantile(std::slice::from_ref(&d), q)
                .unwrap()
                .unwrap()
                .value
        };
        // (12, 20] holds the lower half: P25 is halfway through it.
        assert!(close(q(0.25), 16.0), "{}", q(0.25));
        // (20, 30] the upper half.
        assert!(close(q(0.75), 25.0), "{}", q(0.75));
        assert!(close(q(1.0), 30.0));
        assert!(close(q(0.0), 12.0));
    }

    #[test]
    fn cumulative_points_are_differenced_and_resets_restart() {
        let b = |c: &[u64]| explicit(&[1.0, 2.0], c);
        let series = [
            point_at(10, 1, Temporality::Cumulative, b(&[5, 0, 0])),
            point_at(20, 1, Temporality::Cumulative, b(&[5, 3, 0])),
            point_at(30, 1, Temporality::Cumulative, b(&[5, 3, 0])),
            // A new start time: the process restarted.
            point_at(40, 35, Temporality::Cumulative, b(&[1, 0, 0])),
            // Same start but a count dropped: a reset too.
            point_at(50, 35, Temporality::Cumulative, b(&[0, 0, 1])),
            point_at(60, 35, Temporality::Cumulative, b(&[0, 2, 1])),
        ];
        let d = deltas(&series);
        let counts: Vec<u64> = d.iter().map(|d| d.count).collect();
        assert_eq!(counts, [5, 3, 0, 1, 1, 2]);
        assert_eq!(d[1].buckets, b(&[0, 3, 0]));
        assert_eq!(d[5].buckets, b(&[0, 2, 0]));
        // Delta points are used as they are.
        let series = [
            point_at(10, 0, Temporality::Delta, b(&[5, 0, 0])),
            point_at(20, 10, Temporality::Delta, b(&[5, 0, 0])),
        ];
        assert_eq!(deltas(&series)[1].count, 5);
    }

    #[test]
    fn exponential_buckets_interpolate_on_a_log_scale() {
        // Scale 0: base 2, index 3 is (8, 16].
        let exp = |scale, offset, counts: &[u64]| Buckets::Exponential {
            scale,
            zero_count: 0,
            zero_threshold: 0.0,
            positive: Dense {
                offset,
                counts: counts.to_vec(),
            },
            negative: Dense::default(),
        };
        let d = [delta(exp(0, 3, &[4]))];
        let v = quantile(&d, 0.5).unwrap().unwrap().value;
        assert!(close(v, 8.0 * 2f64.sqrt()), "{v}");
        // Scale 1 (base √2) against scale 0: the cumulative difference is
        // taken at the coarser scale.
        let series = [
            point_at(10, 1, Temporality::Cumulative, exp(1, 6, &[1, 1])), // (8, 11.3], (11.3, 16]
            point_at(20, 1, Temporality::Cumulative, exp(0, 3, &[5])),
        ];
        let d = deltas(&series);
        assert_eq!(d[1].count, 3);
        assert_eq!(d[1].buckets, exp(0, 3, &[3]));
        // Negative buckets mirror: index 0 at scale 0 is [-2, -1).
        let neg = Buckets::Exponential {
            scale: 0,
            zero_count: 2,
            zero_threshold: 0.0,
            positive: Dense {
                offset: 0,
                counts: vec![2],
            },
            negative: Dense {
                offset: 0,
                counts: vec![2],
            },
        };
        let d = [delta(neg)];
        let v = quantile(&d, 0.5).unwrap().unwrap().value;
        assert!(close(v, 0.0), "{v}");
        let v = quantile(&d, 0.0).unwrap().unwrap().value;
        assert!(close(v, -2.0), "{v}");
    }

    #[test]
    fn different_layouts_merge_into_one_distribution() {
        // (0, 10] with 10 observations, and (10, 20] with 10 in another
        // layout: the median is the shared bound.
        let d = [
            delta(explicit(&[10.0], &[10, 0])),
            delta(explicit(&[10.0, 20.0], &[0, 10, 0])),
        ];
        assert!(close(quantile(&d, 0.5).unwrap().unwrap().value, 10.0));
        assert!(close(quantile(&d, 0.75).unwrap().unwrap().value, 15.0));
    }

    #[test]
    fn empty_windows_and_bucketless_points() {
        assert_eq!(quantile(&[], 0.5).unwrap(), None);
        let bare = delta(explicit(&[], &[]));
        let bare = Delta { count: 3, ..bare };
        assert_eq!(
            quantile(std::slice::from_ref(&bare), 0.5),
            Err(QuantileError::NoBuckets)
        );
        let known = Delta {
            min: Some(1.0),
            max: Some(3.0),
            ..bare
        };
        assert!(close(quantile(&[known], 0.5).unwrap().unwrap().value, 2.0));
    }

    #[test]
    fn a_layout_change_inside_a_series_counts_only_the_new_observations() {
        let series = [
            point_at(10, 1, Temporality::Cumulative, explicit(&[1.0], &[4, 0])),
            // Same start, new bounds, 4 more observations.
            point_at(
                20,
                1,
                Temporality::Cumulative,
                explicit(&[1.0, 2.0], &[4, 2, 2]),
            ),
        ];
        let d = deltas(&series);
        assert_eq!((d[1].count, d[1].weight), (4, 0.5));
        let total = quantile(&d, 0.5).unwrap().unwrap().count;
        assert_eq!(total, 8);
    }

    #[test]
    fn extreme_scales_and_counts_give_finite_answers() {
        // Scale -10: index 0 is (1, 2^1024], past f64: clamped, finite.
        let huge = Buckets::Exponential {
            scale: -10,
            zero_count: 0,
            zero_threshold: 0.0,
            positive: Dense {
                offset: -3,
                counts: vec![1, 1, 1, 1, 1],
            },
            negative: Dense::default(),
        };
        for q in [0.0, 0.5, 1.0] {
            let v = quantile(&[delta(huge.clone())], q).unwrap().unwrap().value;
            assert!(v.is_finite() && v > 0.0, "{q}: {v}");
        }
        // Counts past u64 in total saturate instead of overflowing.
        let big = |n| Delta {
            count: n,
            ..delta(explicit(&[1.0], &[n, 0]))
        };
        let e = quantile(
            &[big(u64::MAX / 2), big(u64::MAX / 2), big(u64::MAX / 2)],
            0.5,
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.count, u64::MAX);
        // Stored bounds and counts that do not fit are an error, not a panic.
        let broken = delta(Buckets::Explicit {
            bounds: vec![1.0, 2.0],
            counts: vec![1, 1],
        });
        assert_eq!(quantile(&[broken], 0.5), Err(QuantileError::Inconsistent));
    }
}
