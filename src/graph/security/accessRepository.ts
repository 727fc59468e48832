/**
 * Reads that access checks need (which organization a person is visible to).
 */
import type { Neo4jGateway } from '../gateway.js';

export class AccessRepository {
  constructor(private readonly gateway: Neo4jGateway) {}

  /** True when the candidate applied to a vacancy of the organization. */
  async candidateInOrganization(candidateId: string, organizationId: string): Promise<boolean> {
    const [row] = await this.gateway.read('security/candidate-in-organization', {
      candidateId,
      organizationId,
    });
    return row?.inScope === true;
  }
}
