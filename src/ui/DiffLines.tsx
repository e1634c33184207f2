// A short diff under a check whose file differs (the screen and hands-on alike). It only draws.
import { Box, Text } from 'ink';

/** What was expected (-) and what the file holds (+), coloured as a diff is. */
export function DiffLines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" marginLeft={2}>
      {lines.map((line, i) => (
        <Text key={i} color={line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : undefined}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
