import { Alert, Code, Text } from '@mantine/core';
import type { ApiError } from '../api';

/** An API error as the API gave it: its code and message. */
export function ErrorNotice({ error }: { error: ApiError }) {
  return (
    <Alert color="red" title="The API refused or failed" role="alert" data-testid="api-error">
      <Text size="sm">
        <Code>{error.code}</Code> {error.message}
      </Text>
    </Alert>
  );
}
