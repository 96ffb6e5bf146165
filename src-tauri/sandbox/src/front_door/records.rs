//! Metering the customer's data: which partitions a Produce request writes and a Fetch response
//! returns, with their record-batch bytes and record counts. The batches themselves are only
//! counted (their headers read), never decoded or changed; the frame goes on as it came.

use bytes::Bytes;
use kafka_protocol::messages::{ApiKey, FetchResponse, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Message};

use super::meter::{PartitionRecords, TopicRef};

/// Whether a Fetch response at `version` can be decoded here.
pub(super) fn fetch_decodable(version: i16) -> bool {
    (FetchResponse::VERSIONS.min..=FetchResponse::VERSIONS.max).contains(&version)
}

/// The partitions a Produce request frame (without its size prefix) writes to, read by the
/// bounds-checked walker (a client's request is never handed to kafka-protocol's decoder).
pub(super) fn produce_request(frame: &[u8]) -> Result<Vec<PartitionRecords>, String> {
    use super::requests_gen::produce::{
        self, partition_produce_data as p, produce_request as r, topic_produce_data as t,
    };
    let req = super::walk::walk(&produce::API, frame).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for topic in req.body.arr(r::TOPIC_DATA) {
        let id = match topic.vals.get(t::TOPIC_ID) {
            Some(super::walk::Val::Uuid(b)) => u128::from_be_bytes(*b),
            _ => 0,
        };
        let topic_ref = topic_ref(topic.str(t::NAME).unwrap_or_default(), id);
        for part in topic.arr(t::PARTITION_DATA) {
            let batches = part
                .bytes(p::RECORDS)
                .map(|r| &frame[r])
                .unwrap_or_default();
            out.push(PartitionRecords {
                topic: topic_ref.clone(),
                partition: part.int(p::INDEX).unwrap_or(0) as i32,
                bytes: batches.len() as u64,
                records: count_records(batches),
            });
        }
    }
    Ok(out)
}

/// The partitions a Fetch response frame (without its size prefix) returns records of.
pub(super) fn fetch_response(frame: &Bytes, version: i16) -> Result<Vec<PartitionRecords>, String> {
    let mut buf = frame.clone();
    ResponseHeader::decode(&mut buf, ApiKey::Fetch.response_header_version(version))
        .map_err(|e| e.to_string())?;
    let resp = FetchResponse::decode(&mut buf, version).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for t in &resp.responses {
        let topic = topic_ref(t.topic.as_str(), t.topic_id.as_u128());
        for p in &t.partitions {
            let batches = p.records.as_deref().unwrap_or_default();
            if batches.is_empty() {
                continue;
            }
            out.push(PartitionRecords {
                topic: topic.clone(),
                partition: p.partition_index,
                bytes: batches.len() as u64,
                records: count_records(batches),
            });
        }
    }
    Ok(out)
}

/// Produce v13+ and Fetch v13+ name topics by id; older versions by name.
fn topic_ref(name: &str, id: u128) -> TopicRef {
    if name.is_empty() && id != 0 {
        TopicRef::Id(id)
    } else {
        TopicRef::Name(name.to_string())
    }
}

/// The data records in a run of record batches (magic v2). A fetch may end in a partial batch,
/// which is not counted; control batches (transaction markers) hold no data records; the
/// message sets before v2 are not counted (no client of ours sends them: Produce < v3 is
/// refused by the broker).
pub(super) fn count_records(mut batches: &[u8]) -> u64 {
    const HEADER: usize = 61; // up to and including the records count
    const CONTROL: u16 = 0x20;
    let mut n = 0u64;
    while batches.len() >= HEADER {
        let length = i32::from_be_bytes(batches[8..12].try_into().expect("4 bytes"));
        let Ok(total) = usize::try_from(length).map(|l| l + 12) else {
            break;
        };
        if total > batches.len() || total < HEADER {
            break;
        }
        let magic = batches[16];
        let attributes = u16::from_be_bytes([batches[21], batches[22]]);
        if magic == 2 && attributes & CONTROL == 0 {
            let count = i32::from_be_bytes(batches[57..61].try_into().expect("4 bytes"));
            n += u64::try_from(count).unwrap_or(0);
        }
        batches = &batches[total..];
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BytesMut;
    use kafka_protocol::messages::fetch_response::{FetchableTopicResponse, PartitionData};
    use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
    use kafka_protocol::messages::{ProduceRequest, RequestHeader, TopicName};
    use kafka_protocol::protocol::{Encodable, StrBytes};
    use kafka_protocol::records::{
        Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    };

    fn batch(records: usize, value_len: usize) -> Bytes {
        let recs: Vec<Record> = (0..records)
            .map(|i| Record {
                transactional: false,
                control: false,
                delete_horizon: false,
                partition_leader_epoch: 0,
                producer_id: -1,
                producer_epoch: -1,
                timestamp_type: TimestampType::Creation,
                offset: i as i64,
                sequence: i as i32,
                timestamp: 0,
                key: None,
                value: Some(Bytes::from(vec![b'x'; value_len])),
                headers: Default::default(),
            })
            .collect();
        let mut out = BytesMut::new();
        RecordBatchEncoder::encode(
            &mut out,
            &recs,
            &RecordEncodeOptions {
                version: 2,
                compression: Compression::None,
            },
        )
        .unwrap();
        out.freeze()
    }

    #[test]
    fn counts_the_records_of_every_whole_batch() {
        let mut two = BytesMut::new();
        two.extend_from_slice(&batch(3, 10));
        two.extend_from_slice(&batch(5, 10));
        assert_eq!(count_records(&two), 8);
        // A trailing partial batch (a fetch cut at max bytes) is not counted.
        let cut = &two[..two.len() - 7];
        assert_eq!(count_records(cut), 3);
        assert_eq!(count_records(&[]), 0);
        assert_eq!(count_records(&[0u8; 30]), 0);
    }

    #[test]
    fn a_produce_request_is_read_per_partition() {
        let version = 9; // flexible: compact strings and tagged fields
        let b = batch(4, 100);
        let req = ProduceRequest::default()
            .with_acks(-1)
            .with_timeout_ms(30000)
            .with_topic_data(vec![TopicProduceData::default()
                .with_name(TopicName(StrBytes::from_static_str("orders")))
                .with_partition_data(vec![
                    PartitionProduceData::default()
                        .with_index(2)
                        .with_records(Some(b.clone())),
                    PartitionProduceData::default()
                        .with_index(5)
                        .with_records(None),
                ])]);
        let mut frame = BytesMut::new();
        RequestHeader::default()
            .with_request_api_key(ApiKey::Produce as i16)
            .with_request_api_version(version)
            .with_correlation_id(7)
            .encode(&mut frame, ApiKey::Produce.request_header_version(version))
            .unwrap();
        req.encode(&mut frame, version).unwrap();
        let parts = produce_request(&frame.freeze()).unwrap();
        assert_eq!(
            parts,
            vec![
                PartitionRecords {
                    topic: TopicRef::Name("orders".into()),
                    partition: 2,
                    bytes: b.len() as u64,
                    records: 4
                },
                PartitionRecords {
                    topic: TopicRef::Name("orders".into()),
                    partition: 5,
                    bytes: 0,
                    records: 0
                },
            ]
        );
        assert!(produce_request(&[0, 0, 0, 9, 1]).is_err());
    }

    #[test]
    fn a_fetch_response_is_read_per_partition_by_name_or_id() {
        let b = batch(2, 50);
        for (version, topic) in [
            (11, TopicRef::Name("payments".into())),
            (13, TopicRef::Id(0x1234)),
        ] {
            let mut t = FetchableTopicResponse::default().with_partitions(vec![
                PartitionData::default()
                    .with_partition_index(0)
                    .with_records(Some(b.clone())),
                PartitionData::default()
                    .with_partition_index(1)
                    .with_records(Some(Bytes::new())),
            ]);
            match &topic {
                TopicRef::Name(n) => t.topic = TopicName(StrBytes::from_string(n.clone())),
                TopicRef::Id(id) => t.topic_id = uuid::Uuid::from_u128(*id),
            }
            let mut frame = BytesMut::new();
            ResponseHeader::default()
                .with_correlation_id(3)
                .encode(&mut frame, ApiKey::Fetch.response_header_version(version))
                .unwrap();
            FetchResponse::default()
                .with_responses(vec![t])
                .encode(&mut frame, version)
                .unwrap();
            let parts = fetch_response(&frame.freeze(), version).unwrap();
            assert_eq!(
                parts,
                vec![PartitionRecords {
                    topic,
                    partition: 0,
                    bytes: b.len() as u64,
                    records: 2
                }],
                "v{version}"
            );
        }
    }
}
