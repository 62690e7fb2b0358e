//! OTLP protobuf export requests (OTLP/gRPC and OTLP/HTTP protobuf) decoded
//! with attribute values nested to [`MAX_ATTRIBUTE_DEPTH`] levels, the bound
//! OTLP/JSON has ([`crate::nesting`]).
//!
//! `prost` alone stops at 100 nested messages, about 33 attribute levels
//! (`KeyValue` → `AnyValue` → `KeyValueList` per level), and its
//! `no-recursion-limit` feature would lift the limit for every decoder in
//! the process. So the envelope, whose shape is fixed
//! (`Export…ServiceRequest` → resource → scope → span, metric or log record
//! → event, link, data point or exemplar), is walked here field by field
//! over a table of the fields that hold attributes
//! (`opentelemetry/proto/*/v1/*.proto` of OTLP 1.x); every other field is
//! merged by `prost` one at a time (`Message::merge` of that field's bytes),
//! so scalars, enums and unknown fields decode exactly as `prost` decodes
//! them. Attribute values (`AnyValue`, `ArrayValue`, `KeyValueList`,
//! `KeyValue`) are decoded with a stack on the heap: nesting costs no
//! native stack, and a value deeper than the bound is refused with it.
//! (Dropping and storing such a value still recurse, about 10 frames a
//! level: fine on the 2 MiB threads that do it, for 1,000 levels.)

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{
    AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList, any_value,
};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::metrics::v1::{
    Exemplar, ExponentialHistogram, ExponentialHistogramDataPoint, Gauge, Histogram,
    HistogramDataPoint, Metric, NumberDataPoint, ResourceMetrics, ScopeMetrics, Sum, Summary,
    SummaryDataPoint, metric,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, span};
use prost::Message;

use crate::nesting::{self, MAX_ATTRIBUTE_DEPTH};

/// Why bytes are not an OTLP export request.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not protobuf at all: a truncated varint, a length past the end, a
    /// group that does not close, field number 0 or a reserved wire type.
    #[error("malformed protobuf: {0}")]
    Malformed(&'static str),
    /// A field `prost` refused (a wrong wire type, invalid UTF-8, …).
    #[error(transparent)]
    Field(#[from] prost::DecodeError),
    /// Attribute values nested deeper than [`MAX_ATTRIBUTE_DEPTH`].
    #[error("{0}")]
    TooDeep(String),
}

type Result<T> = std::result::Result<T, DecodeError>;

/// An OTLP export request decoded by this module.
pub trait Export: Sized {
    /// Decodes a whole request.
    ///
    /// # Errors
    /// [`DecodeError`], naming what is wrong.
    fn decode_otlp(bytes: &[u8]) -> Result<Self>;
}

impl Export for ExportTraceServiceRequest {
    fn decode_otlp(bytes: &[u8]) -> Result<Self> {
        decoded(bytes, |r: &mut Self, n, b| {
            Ok(n == 1 && push(&mut r.resource_spans, b, resource_spans)?)
        })
    }
}

impl Export for ExportMetricsServiceRequest {
    fn decode_otlp(bytes: &[u8]) -> Result<Self> {
        decoded(bytes, |r: &mut Self, n, b| {
            Ok(n == 1 && push(&mut r.resource_metrics, b, resource_metrics)?)
        })
    }
}

impl Export for ExportLogsServiceRequest {
    fn decode_otlp(bytes: &[u8]) -> Result<Self> {
        decoded(bytes, |r: &mut Self, n, b| {
            Ok(n == 1 && push(&mut r.resource_logs, b, resource_logs)?)
        })
    }
}

/// One field of a message's encoding.
struct Field<'a> {
    number: u32,
    /// The contents of a length-delimited field.
    payload: Option<&'a [u8]>,
    /// The whole field, key included: a message holding only this field.
    raw: &'a [u8],
}

fn varint(bytes: &mut &[u8]) -> Result<u64> {
    let mut value = 0u64;
    for i in 0..10 {
        let (&byte, rest) = bytes
            .split_first()
            .ok_or(DecodeError::Malformed("a varint runs past the end"))?;
        *bytes = rest;
        // The tenth byte holds the 64th bit only (as prost reads it).
        if i == 9 && byte > 1 {
            break;
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Ok(value);
        }
    }
    Err(DecodeError::Malformed("a varint is longer than 64 bits"))
}

fn take<'a>(bytes: &mut &'a [u8], len: u64) -> Result<&'a [u8]> {
    let len = usize::try_from(len)
        .ok()
        .filter(|&n| n <= bytes.len())
        .ok_or(DecodeError::Malformed("a field runs past the end"))?;
    let (head, rest) = bytes.split_at(len);
    *bytes = rest;
    Ok(head)
}

/// The key of the next field: its number and wire type.
fn key(bytes: &mut &[u8]) -> Result<(u32, u8)> {
    let key = varint(bytes)?;
    let number = u32::try_from(key >> 3)
        .ok()
        .filter(|&n| n != 0)
        .ok_or(DecodeError::Malformed("a field number is 0 or too large"))?;
    Ok((number, (key & 7) as u8))
}

/// Skips the value of a field of wire type `wire` (groups with a stack on
/// the heap, however deep they nest).
fn skip(bytes: &mut &[u8], number: u32, wire: u8) -> Result<()> {
    let mut open = Vec::new();
    let (mut number, mut wire) = (number, wire);
    loop {
        match wire {
            0 => {
                varint(bytes)?;
            }
            1 => {
                take(bytes, 8)?;
            }
            2 => {
                let len = varint(bytes)?;
                take(bytes, len)?;
            }
            3 => open.push(number),
            4 => {
                if open.pop() != Some(number) {
                    return Err(DecodeError::Malformed("a group ends that did not start"));
                }
            }
            5 => {
                take(bytes, 4)?;
            }
            _ => return Err(DecodeError::Malformed("a wire type is not 0 to 5")),
        }
        if open.is_empty() {
            return Ok(());
        }
        (number, wire) = key(bytes)?;
    }
}

/// The next field of `bytes`.
fn next_field<'a>(bytes: &mut &'a [u8]) -> Result<Field<'a>> {
    let start = *bytes;
    let (number, wire) = key(bytes)?;
    let payload = if wire == 2 {
        let len = varint(bytes)?;
        Some(take(bytes, len)?)
    } else if wire == 4 {
        return Err(DecodeError::Malformed("a group ends that did not start"));
    } else {
        skip(bytes, number, wire)?;
        None
    };
    Ok(Field {
        number,
        payload,
        raw: &start[..start.len() - bytes.len()],
    })
}

/// Merges the message in `bytes` into `message`: each length-delimited
/// field goes to `nested(message, number, payload)` first, which answers
/// whether it took the field; `prost` merges every field it did not take.
fn merge<M: Message>(
    message: &mut M,
    mut bytes: &[u8],
    mut nested: impl FnMut(&mut M, u32, &[u8]) -> Result<bool>,
) -> Result<()> {
    while !bytes.is_empty() {
        let field = next_field(&mut bytes)?;
        let taken = match field.payload {
            Some(payload) => nested(message, field.number, payload)?,
            None => false,
        };
        if !taken {
            message.merge(field.raw)?;
        }
    }
    Ok(())
}

/// A message of `bytes` (see [`merge`]).
fn decoded<M: Message + Default>(
    bytes: &[u8],
    nested: impl FnMut(&mut M, u32, &[u8]) -> Result<bool>,
) -> Result<M> {
    let mut message = M::default();
    merge(&mut message, bytes, nested)?;
    Ok(message)
}

/// Appends the message of `bytes`, merged by `decode`; always `true` (the
/// field was taken).
fn push<M: Default>(
    to: &mut Vec<M>,
    bytes: &[u8],
    decode: impl FnOnce(&mut M, &[u8]) -> Result<()>,
) -> Result<bool> {
    let mut message = M::default();
    decode(&mut message, bytes)?;
    to.push(message);
    Ok(true)
}

/// Merges `bytes` into an optional singular message field (a message field
/// seen twice merges, as protobuf says); always `true`.
fn merge_into<M: Default>(
    to: &mut Option<M>,
    bytes: &[u8],
    decode: impl FnOnce(&mut M, &[u8]) -> Result<()>,
) -> Result<bool> {
    decode(to.get_or_insert_with(M::default), bytes)?;
    Ok(true)
}

fn resource(r: &mut Resource, bytes: &[u8]) -> Result<()> {
    merge(r, bytes, |r, n, b| {
        Ok(n == 1 && push(&mut r.attributes, b, key_value)?)
    })
}

fn scope(s: &mut InstrumentationScope, bytes: &[u8]) -> Result<()> {
    merge(s, bytes, |s, n, b| {
        Ok(n == 3 && push(&mut s.attributes, b, key_value)?)
    })
}

fn resource_spans(r: &mut ResourceSpans, bytes: &[u8]) -> Result<()> {
    merge(r, bytes, |r, n, b| match n {
        1 => merge_into(&mut r.resource, b, resource),
        2 => push(&mut r.scope_spans, b, scope_spans),
        _ => Ok(false),
    })
}

fn scope_spans(s: &mut ScopeSpans, bytes: &[u8]) -> Result<()> {
    merge(s, bytes, |s, n, b| match n {
        1 => merge_into(&mut s.scope, b, scope),
        2 => push(&mut s.spans, b, one_span),
        _ => Ok(false),
    })
}

fn one_span(s: &mut Span, bytes: &[u8]) -> Result<()> {
    merge(s, bytes, |s, n, b| match n {
        9 => push(&mut s.attributes, b, key_value),
        11 => push(&mut s.events, b, |e: &mut span::Event, b| {
            merge(e, b, |e, n, b| {
                Ok(n == 3 && push(&mut e.attributes, b, key_value)?)
            })
        }),
        13 => push(&mut s.links, b, |l: &mut span::Link, b| {
            merge(l, b, |l, n, b| {
                Ok(n == 4 && push(&mut l.attributes, b, key_value)?)
            })
        }),
        _ => Ok(false),
    })
}

fn resource_metrics(r: &mut ResourceMetrics, bytes: &[u8]) -> Result<()> {
    merge(r, bytes, |r, n, b| match n {
        1 => merge_into(&mut r.resource, b, resource),
        2 => push(&mut r.scope_metrics, b, scope_metrics),
        _ => Ok(false),
    })
}

fn scope_metrics(s: &mut ScopeMetrics, bytes: &[u8]) -> Result<()> {
    merge(s, bytes, |s, n, b| match n {
        1 => merge_into(&mut s.scope, b, scope),
        2 => push(&mut s.metrics, b, one_metric),
        _ => Ok(false),
    })
}

/// The `data` oneof's member `$variant`, kept when it is already the one set (a
/// member seen twice merges) and replacing any other (the last one wins).
macro_rules! member {
    ($data:expr, $variant:ident) => {{
        if !matches!($data, Some(metric::Data::$variant(_))) {
            *$data = Some(metric::Data::$variant(Default::default()));
        }
        match $data {
            Some(metric::Data::$variant(member)) => member,
            _ => unreachable!("set just above"),
        }
    }};
}

fn one_metric(m: &mut Metric, bytes: &[u8]) -> Result<()> {
    merge(m, bytes, |m, n, b| {
        let data = &mut m.data;
        match n {
            5 => merge(member!(data, Gauge), b, |g: &mut Gauge, n, b| {
                Ok(n == 1 && push(&mut g.data_points, b, number_point)?)
            }),
            7 => merge(member!(data, Sum), b, |s: &mut Sum, n, b| {
                Ok(n == 1 && push(&mut s.data_points, b, number_point)?)
            }),
            9 => merge(member!(data, Histogram), b, |h: &mut Histogram, n, b| {
                Ok(n == 1 && push(&mut h.data_points, b, histogram_point)?)
            }),
            10 => merge(
                member!(data, ExponentialHistogram),
                b,
                |h: &mut ExponentialHistogram, n, b| {
                    Ok(n == 1 && push(&mut h.data_points, b, exponential_point)?)
                },
            ),
            11 => merge(member!(data, Summary), b, |s: &mut Summary, n, b| {
                Ok(n == 1 && push(&mut s.data_points, b, summary_point)?)
            }),
            12 => return push(&mut m.metadata, b, key_value),
            _ => return Ok(false),
        }
        .map(|()| true)
    })
}

fn number_point(p: &mut NumberDataPoint, bytes: &[u8]) -> Result<()> {
    merge(p, bytes, |p, n, b| match n {
        7 => push(&mut p.attributes, b, key_value),
        5 => push(&mut p.exemplars, b, exemplar),
        _ => Ok(false),
    })
}

fn histogram_point(p: &mut HistogramDataPoint, bytes: &[u8]) -> Result<()> {
    merge(p, bytes, |p, n, b| match n {
        9 => push(&mut p.attributes, b, key_value),
        8 => push(&mut p.exemplars, b, exemplar),
        _ => Ok(false),
    })
}

fn exponential_point(p: &mut ExponentialHistogramDataPoint, bytes: &[u8]) -> Result<()> {
    merge(p, bytes, |p, n, b| match n {
        1 => push(&mut p.attributes, b, key_value),
        11 => push(&mut p.exemplars, b, exemplar),
        _ => Ok(false),
    })
}

fn summary_point(p: &mut SummaryDataPoint, bytes: &[u8]) -> Result<()> {
    merge(p, bytes, |p, n, b| {
        Ok(n == 7 && push(&mut p.attributes, b, key_value)?)
    })
}

fn exemplar(e: &mut Exemplar, bytes: &[u8]) -> Result<()> {
    merge(e, bytes, |e, n, b| {
        Ok(n == 7 && push(&mut e.filtered_attributes, b, key_value)?)
    })
}

fn resource_logs(r: &mut ResourceLogs, bytes: &[u8]) -> Result<()> {
    merge(r, bytes, |r, n, b| match n {
        1 => merge_into(&mut r.resource, b, resource),
        2 => push(&mut r.scope_logs, b, scope_logs),
        _ => Ok(false),
    })
}

fn scope_logs(s: &mut ScopeLogs, bytes: &[u8]) -> Result<()> {
    merge(s, bytes, |s, n, b| match n {
        1 => merge_into(&mut s.scope, b, scope),
        2 => push(&mut s.log_records, b, log_record),
        _ => Ok(false),
    })
}

fn log_record(l: &mut LogRecord, bytes: &[u8]) -> Result<()> {
    merge(l, bytes, |l, n, b| match n {
        // The body is a value of depth 1, like an attribute's.
        5 => merge_into(&mut l.body, b, |v, b| {
            attribute(Node::Value(std::mem::take(v)), b).map(|node| {
                if let Node::Value(value) = node {
                    *v = value;
                }
            })
        }),
        6 => push(&mut l.attributes, b, key_value),
        _ => Ok(false),
    })
}

fn key_value(kv: &mut KeyValue, bytes: &[u8]) -> Result<()> {
    if let Node::Pair(pair) = attribute(Node::Pair(std::mem::take(kv)), bytes)? {
        *kv = pair;
    }
    Ok(())
}

/// A message of the attribute family being decoded.
enum Node {
    Value(AnyValue),
    Array(ArrayValue),
    List(KeyValueList),
    Pair(KeyValue),
}

impl Node {
    /// Merges one field `prost` decodes (a scalar, or an unknown field).
    fn merge_raw(&mut self, raw: &[u8]) -> std::result::Result<(), prost::DecodeError> {
        match self {
            Node::Value(v) => v.merge(raw),
            Node::Array(a) => a.merge(raw),
            Node::List(l) => l.merge(raw),
            Node::Pair(p) => p.merge(raw),
        }
    }

    /// The child message a length-delimited field `number` starts, if it
    /// is one of the nesting fields (`AnyValue.array_value` 5,
    /// `AnyValue.kvlist_value` 6, `ArrayValue.values` 1,
    /// `KeyValueList.values` 1, `KeyValue.value` 2). A oneof member or
    /// singular field seen again continues the message already there.
    fn child(&mut self, number: u32) -> Option<Node> {
        use any_value::Value as V;
        Some(match (self, number) {
            (Node::Value(v), 5) => Node::Array(match v.value.take() {
                Some(V::ArrayValue(a)) => a,
                _ => ArrayValue::default(),
            }),
            (Node::Value(v), 6) => Node::List(match v.value.take() {
                Some(V::KvlistValue(l)) => l,
                _ => KeyValueList::default(),
            }),
            (Node::Array(_), 1) => Node::Value(AnyValue::default()),
            (Node::List(_), 1) => Node::Pair(KeyValue::default()),
            (Node::Pair(p), 2) => Node::Value(p.value.take().unwrap_or_default()),
            _ => return None,
        })
    }

    /// Puts a finished `child` where [`Node::child`] took it from.
    fn adopt(&mut self, child: Node) {
        use any_value::Value as V;
        match (self, child) {
            (Node::Value(v), Node::Array(a)) => v.value = Some(V::ArrayValue(a)),
            (Node::Value(v), Node::List(l)) => v.value = Some(V::KvlistValue(l)),
            (Node::Array(a), Node::Value(v)) => a.values.push(v),
            (Node::List(l), Node::Pair(p)) => l.values.push(p),
            (Node::Pair(p), Node::Value(v)) => p.value = Some(v),
            _ => unreachable!("a child is adopted by the kind of node that made it"),
        }
    }
}

/// Merges the attribute-family message in `bytes` into `root` with a stack
/// on the heap, counting value depth (a pair's value is depth 1) against
/// [`MAX_ATTRIBUTE_DEPTH`].
fn attribute(root: Node, bytes: &[u8]) -> Result<Node> {
    let values_in = |node: &Node| usize::from(matches!(node, Node::Value(_)));
    let mut depth = values_in(&root);
    let mut stack = vec![(root, bytes)];
    loop {
        let (node, rest) = stack.last_mut().expect("the root stays until the end");
        if rest.is_empty() {
            let (done, _) = stack.pop().expect("just looked at it");
            depth -= values_in(&done);
            match stack.last_mut() {
                Some((parent, _)) => parent.adopt(done),
                None => return Ok(done),
            }
            continue;
        }
        let field = next_field(rest)?;
        match field
            .payload
            .and_then(|p| Some((node.child(field.number)?, p)))
        {
            Some((child, payload)) => {
                depth += values_in(&child);
                if depth > MAX_ATTRIBUTE_DEPTH {
                    return Err(DecodeError::TooDeep(nesting::too_deep(true)));
                }
                stack.push((child, payload));
            }
            None => node.merge_raw(field.raw)?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::any_value::Value as V;

    fn string(s: &str) -> AnyValue {
        AnyValue {
            value: Some(V::StringValue(s.into())),
        }
    }

    /// A value `levels` deep, alternating kvlists and arrays.
    fn nested(levels: usize) -> AnyValue {
        let mut value = string("leaf");
        for level in 1..levels {
            value = AnyValue {
                value: Some(if level % 2 == 0 {
                    V::ArrayValue(ArrayValue {
                        values: vec![value, string("x")],
                    })
                } else {
                    V::KvlistValue(KeyValueList {
                        values: vec![KeyValue {
                            key: "k".into(),
                            value: Some(value),
                            ..Default::default()
                        }],
                    })
                }),
            };
        }
        value
    }

    fn trace_request(value: AnyValue) -> ExportTraceServiceRequest {
        let attr = KeyValue {
            key: "deep".into(),
            value: Some(value),
            ..Default::default()
        };
        ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                resource: Some(Resource {
                    attributes: vec![attr.clone()],
                    ..Default::default()
                }),
                scope_spans: vec![ScopeSpans {
                    scope: Some(InstrumentationScope {
                        name: "s".into(),
                        attributes: vec![attr.clone()],
                        ..Default::default()
                    }),
                    spans: vec![Span {
                        name: "op".into(),
                        trace_id: vec![1; 16],
                        span_id: vec![2; 8],
                        attributes: vec![attr.clone(), attr.clone()],
                        events: vec![span::Event {
                            name: "e".into(),
                            attributes: vec![attr.clone()],
                            ..Default::default()
                        }],
                        links: vec![span::Link {
                            trace_id: vec![3; 16],
                            attributes: vec![attr],
                            ..Default::default()
                        }],
                        ..Default::default()
                    }],
                    schema_url: "u".into(),
                }],
                schema_url: String::new(),
            }],
        }
    }

    #[test]
    fn decodes_what_prost_decodes() {
        let request = trace_request(nested(20));
        let bytes = request.encode_to_vec();
        let ours = ExportTraceServiceRequest::decode_otlp(&bytes).unwrap();
        assert_eq!(ours, request);
        assert_eq!(ours, ExportTraceServiceRequest::decode(&bytes[..]).unwrap());
    }

    #[test]
    fn nests_to_the_bound_and_refuses_one_more() {
        let bytes = trace_request(nested(MAX_ATTRIBUTE_DEPTH)).encode_to_vec();
        // prost alone gives up about 33 levels in.
        assert!(ExportTraceServiceRequest::decode(&bytes[..]).is_err());
        let ours = ExportTraceServiceRequest::decode_otlp(&bytes).unwrap();
        assert_eq!(ours.encode_to_vec(), bytes);
        let deeper = trace_request(nested(MAX_ATTRIBUTE_DEPTH + 1)).encode_to_vec();
        let err = ExportTraceServiceRequest::decode_otlp(&deeper).unwrap_err();
        assert!(err.to_string().contains("more than 1000 levels"), "{err}");
    }

    #[test]
    fn metrics_and_logs_walk_every_attribute_field() {
        use opentelemetry_proto::tonic::metrics::v1::exemplar;
        let attr = KeyValue {
            key: "a".into(),
            value: Some(nested(3)),
            ..Default::default()
        };
        let exemplars = vec![Exemplar {
            filtered_attributes: vec![attr.clone()],
            value: Some(exemplar::Value::AsInt(4)),
            ..Default::default()
        }];
        let metric = |data| Metric {
            name: "m".into(),
            metadata: vec![attr.clone()],
            data: Some(data),
            ..Default::default()
        };
        let number = NumberDataPoint {
            attributes: vec![attr.clone()],
            exemplars: exemplars.clone(),
            time_unix_nano: 7,
            ..Default::default()
        };
        let metrics = ExportMetricsServiceRequest {
            resource_metrics: vec![ResourceMetrics {
                scope_metrics: vec![ScopeMetrics {
                    metrics: vec![
                        metric(metric::Data::Gauge(Gauge {
                            data_points: vec![number.clone()],
                        })),
                        metric(metric::Data::Sum(Sum {
                            data_points: vec![number],
                            is_monotonic: true,
                            aggregation_temporality: 2,
                        })),
                        metric(metric::Data::Histogram(Histogram {
                            data_points: vec![HistogramDataPoint {
                                attributes: vec![attr.clone()],
                                exemplars: exemplars.clone(),
                                bucket_counts: vec![1, 2],
                                explicit_bounds: vec![1.5],
                                ..Default::default()
                            }],
                            aggregation_temporality: 1,
                        })),
                        metric(metric::Data::ExponentialHistogram(ExponentialHistogram {
                            data_points: vec![ExponentialHistogramDataPoint {
                                attributes: vec![attr.clone()],
                                exemplars,
                                scale: 3,
                                ..Default::default()
                            }],
                            aggregation_temporality: 1,
                        })),
                        metric(metric::Data::Summary(Summary {
                            data_points: vec![SummaryDataPoint {
                                attributes: vec![attr.clone()],
                                count: 9,
                                ..Default::default()
                            }],
                        })),
                    ],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let bytes = metrics.encode_to_vec();
        assert_eq!(
            ExportMetricsServiceRequest::decode_otlp(&bytes).unwrap(),
            metrics
        );
        let logs = ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                scope_logs: vec![ScopeLogs {
                    log_records: vec![LogRecord {
                        body: Some(nested(4)),
                        attributes: vec![attr],
                        severity_text: "WARN".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let bytes = logs.encode_to_vec();
        assert_eq!(ExportLogsServiceRequest::decode_otlp(&bytes).unwrap(), logs);
    }

    #[test]
    fn merges_as_protobuf_does_and_refuses_malformed_input() {
        // One message's fields seen twice (a singular message field, a
        // oneof member, a repeated field): merged, last-wins and appended
        // exactly as prost decodes the same bytes.
        let kv = |value| KeyValue {
            key: "k".into(),
            value: Some(value),
            ..Default::default()
        };
        let pair = [
            kv(nested(3)).encode_to_vec(),
            kv(string("s")).encode_to_vec(),
            kv(nested(2)).encode_to_vec(),
            kv(nested(2)).encode_to_vec(),
        ]
        .concat();
        let mut ours = KeyValue::default();
        key_value(&mut ours, &pair).unwrap();
        assert_eq!(ours, KeyValue::decode(&pair[..]).unwrap());
        let spans = [
            trace_request(nested(2)).resource_spans[0].scope_spans[0].spans[0].encode_to_vec(),
            Span {
                status: Some(Default::default()),
                name: "second".into(),
                ..Default::default()
            }
            .encode_to_vec(),
        ]
        .concat();
        let mut ours = Span::default();
        one_span(&mut ours, &spans).unwrap();
        assert_eq!(ours, Span::decode(&spans[..]).unwrap());
        // Unknown fields, groups included, are skipped as prost skips them.
        let one = trace_request(string("x")).encode_to_vec();
        let unknown = [one.clone(), vec![0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07]].concat();
        assert_eq!(
            ExportTraceServiceRequest::decode_otlp(&unknown).unwrap(),
            ExportTraceServiceRequest::decode(&unknown[..]).unwrap()
        );
        for bad in [
            &one[..one.len() - 1],
            &[0x0a, 0x05, 0x01][..],
            &[0x00][..],
            &[0x0c][..],
            &[0x0b][..],
            &[0x0f, 0x00][..],
            &[0xff; 11][..],
        ] {
            assert!(
                ExportTraceServiceRequest::decode_otlp(bad).is_err(),
                "{bad:?}"
            );
        }
        // A key that is not UTF-8 is prost's refusal, named.
        let mut not_utf8 = one;
        let at = not_utf8
            .windows(4)
            .position(|w| w == b"deep")
            .expect("the key is there");
        not_utf8[at] = 0xff;
        let err = ExportTraceServiceRequest::decode_otlp(&not_utf8).unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
