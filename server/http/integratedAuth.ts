/**
 * The port for Integrated Windows Authentication as IIS offers it in front of MIM's PAM API:
 * `Authorization: Negotiate <SPNEGO token>`. An adapter (Kerberos through GSS-API, for instance)
 * validates the token against the service's key; the HTTP layer only maps the name it returns to a
 * Coffre user. Without an adapter the server does not offer Negotiate at all.
 */
export interface IntegratedAuth {
  /**
   * Accepts the client's first (and, for Kerberos, only) SPNEGO token, base64 as sent. Resolves with
   * the user name the token proves (realm already checked and removed) and, for mutual
   * authentication, the token to return in `WWW-Authenticate: Negotiate <token>`. Rejects when the
   * token is not valid for this service.
   */
  accept(token: string): Promise<{ username: string; responseToken?: string | undefined }>;
}
