/** A body shaped like Loki's `GET /loki/api/v1/query_range` answer for a log query (resultType streams). */
export function lokiStreams(streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>) {
  return {
    status: 'success',
    data: {
      resultType: 'streams',
      result: streams,
      stats: { summary: { bytesProcessedPerSecond: 1024, linesProcessedPerSecond: 10, totalBytesProcessed: 2048, totalLinesProcessed: 20, execTime: 0.004, queueTime: 0.0001, subqueries: 0, totalEntriesReturned: 4 } },
    },
  };
}
