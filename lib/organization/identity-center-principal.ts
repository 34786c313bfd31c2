/**
 * Who a permission set is assigned to in IAM Identity Center: a group or a user of its identity store.
 */
export class IdentityCenterPrincipal {
  /**
   * A group of the identity store, by its ID.
   *
   * @param groupId the group's ID in the identity store (a UUID, or `<directory id>-<uuid>`)
   */
  public static group(groupId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal('GROUP', groupId);
  }

  /**
   * A user of the identity store, by its ID.
   *
   * @param userId the user's ID in the identity store
   */
  public static user(userId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal('USER', userId);
  }

  /**
   * @param principalType `GROUP` or `USER`
   * @param principalId the ID in the identity store
   */
  private constructor(public readonly principalType: string, public readonly principalId: string) {}
}
