import { Table } from '@mantine/core';

/** A ranking's stage timings, one cell each. */
export function StageTimes({ timings }: { timings: Record<string, number> }) {
  return (
    <Table withTableBorder={false} fz="xs" w="auto">
      <Table.Tbody>
        <Table.Tr>
          {Object.entries(timings)
            .filter(([k]) => k !== '__typename')
            .map(([k, ms]) => (
              <Table.Td key={k}>
                {k} {ms.toFixed(1)} ms
              </Table.Td>
            ))}
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}
