/**
 * Devolutions Server's sign-in, as its clients perform it (docs/wire/dvls.md names each source):
 * the server information with its public key, `POST /api/login/partial` (the session-key handshake
 * of New-DSSession, or a plain password), `GET /api/logout`, `GET /api/is-logged`, and the
 * application login `POST /api/v1/login` of go-dvls. Coffre's `POST /api/auth/login` stays beside.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SaveResult, ServerLoginResult } from '../../../common/dvls.ts';
import { DvlsCipherError, decryptFromHex } from '../../../common/dvlsCipher.ts';
import { userSchema } from '../../../common/roles.ts';
import type { ServerContext } from '../../context.ts';
import { PamError } from '../../domain/pamError.ts';
import type { DvlsSessions } from '../../dvls/dvlsSessions.ts';
import { actorOf, tokenOf } from '../authentication.ts';
import { caseInsensitiveBody } from '../dvlsWire.ts';

/**
 * The version this server reports. Coffre speaks the PAM API of DVLS before 2024.3 (PAM folders
 * with parent ids, checkout policies), and the 2024 module picks its forms by the server version.
 */
export const DVLS_COMPATIBLE_VERSION = '2022.3.0.0';

const tags = ['DVLS sign-in'];

const loginParametersSpec = {
  names: [
    'Password',
    'SafePassword',
    'SafeSessionKey',
    'Client',
    'Version',
    'LocalMachineName',
    'LocalUserName',
  ],
};
const loginParametersSchema = z.object({
  Password: z.string().max(1024).optional(),
  SafePassword: z.string().max(8192).optional(),
  SafeSessionKey: z.string().max(2048).optional(),
  Client: z.union([z.string().max(100), z.number()]).optional(),
  Version: z.string().max(100).nullable().optional(),
  LocalMachineName: z.string().max(256).nullable().optional(),
  LocalUserName: z.string().max(256).nullable().optional(),
});

const partialLoginSchema = z.object({
  userName: z.string().min(1).max(256),
  /** 2021.6–2022.2 module: the session-key handshake (SafePassword under SafeSessionKey). */
  RDMOLoginParameters: loginParametersSchema.optional(),
  /** 2022.3+ module (`-AsApplication`): a plain password over TLS. */
  LoginParameters: loginParametersSchema.optional(),
});

const envelopeSchema = z.object({ result: z.number().int(), data: z.record(z.string(), z.unknown()) });

/** The answer of a sign-in that did not succeed: HTTP 200, `result` 0, the reason in `data`. */
function loginRefused(loginResult: number, message: string) {
  return { result: SaveResult.Error, data: { message, loginResult } };
}

export function registerDvlsSessionRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  dvls: DvlsSessions,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // Exactly `data` and `result`: New-DSSession checks the answer has those two keys and no other.
  const serverInformation = async () => ({
    result: SaveResult.Success,
    data: {
      serverName: 'Coffre',
      version: DVLS_COMPATIBLE_VERSION,
      accessUri: '',
      selectedTimeZoneId: 'UTC',
      systemMessage: '',
      publicKey: await dvls.publicKey(),
    },
  });
  for (const url of ['/api/public-instance-information', '/api/server-information']) {
    typed.get(
      url,
      {
        config: { public: true },
        schema: {
          tags,
          description:
            'Server information with the RSA public key (hex modulus and exponent) of the session-key handshake.',
          response: { 200: envelopeSchema },
        },
      },
      serverInformation,
    );
  }

  typed.post(
    '/api/login/partial',
    {
      config: { public: true },
      preValidation: caseInsensitiveBody({
        names: ['userName', 'RDMOLoginParameters', 'LoginParameters'],
        nested: { RDMOLoginParameters: loginParametersSpec, LoginParameters: loginParametersSpec },
      }),
      schema: {
        tags,
        description:
          'Answers {result, data} with HTTP 200 even when refused: result 1 and data.tokenId, or result 0 with data.message and data.loginResult (ServerLoginResult).',
        body: partialLoginSchema,
        response: { 200: envelopeSchema },
      },
    },
    async (request, reply) => {
      const parameters = request.body.RDMOLoginParameters ?? request.body.LoginParameters ?? {};
      const secret = await readSecret(dvls, parameters);
      if ('refused' in secret) return secret.refused;
      try {
        const login = await ctx.auth.login(
          request.body.userName,
          secret.password,
          request.ip,
          secret.sessionKey
            ? {
                sealSessionKey: dvls.sealerFor({
                  sessionKey: secret.sessionKey,
                  moduleVersion: parameters.Version ?? null,
                }),
              }
            : {},
        );
        return {
          result: SaveResult.Success,
          data: {
            tokenId: login.tokenId,
            loginResult: ServerLoginResult.Success,
            message: '',
            expiresAt: login.expiresAt,
            userId: login.user.id,
            user: login.user,
            serverInfo: { serverName: 'Coffre', version: DVLS_COMPATIBLE_VERSION },
          },
        };
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        if (error.code === 'throttled') {
          if (error.retryAfterSeconds) reply.header('retry-after', error.retryAfterSeconds);
          return loginRefused(ServerLoginResult.LockedUser, error.message);
        }
        if (error.code === 'unauthorized') {
          return loginRefused(ServerLoginResult.InvalidUserNamePassword, error.message);
        }
        throw error;
      }
    },
  );

  typed.get(
    '/api/logout',
    {
      schema: {
        tags,
        description: 'Close-DSSession: revokes the token.',
        response: { 200: z.object({ result: z.number() }) },
      },
    },
    async (request) => {
      const token = tokenOf(request)!;
      // The session key goes with the token's row.
      await ctx.auth.logout(token, actorOf(request));
      return { result: SaveResult.Success };
    },
  );

  typed.get(
    '/api/is-logged',
    {
      config: { public: true },
      schema: { tags, description: 'go-dvls: a bare JSON true or false.', response: { 200: z.boolean() } },
    },
    async (request) => isSignedIn(ctx, request),
  );

  // go-dvls posts its application key and secret form-encoded; only these routes parse that form.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/login',
      {
        config: { public: true },
        preValidation: caseInsensitiveBody({ names: ['AppKey', 'AppSecret'] }),
        schema: {
          tags,
          description:
            'Application sign-in (go-dvls): form-encoded AppKey and AppSecret, answered with TokenId. In Coffre an application is a user: AppKey is its username, AppSecret its password.',
          body: z.object({ AppKey: z.string().min(1).max(256), AppSecret: z.string().min(1).max(1024) }),
          response: {
            200: z.object({
              tokenId: z.string(),
              expiresAt: z.string(),
              user: userSchema,
              result: z.number(),
              message: z.string(),
            }),
          },
        },
      },
      async (request) => {
        const login = await ctx.auth.login(request.body.AppKey, request.body.AppSecret, request.ip);
        return { ...login, result: SaveResult.Success, message: '' };
      },
    );
  });
}

type Secret = { password: string; sessionKey?: string } | { refused: ReturnType<typeof loginRefused> };

/** The password of a sign-in: decrypted under its session key (handshake), or as sent. */
async function readSecret(
  dvls: DvlsSessions,
  parameters: z.infer<typeof loginParametersSchema>,
): Promise<Secret> {
  if (parameters.SafePassword !== undefined || parameters.SafeSessionKey !== undefined) {
    const sessionKey = parameters.SafeSessionKey
      ? await dvls.openSessionKey(parameters.SafeSessionKey)
      : undefined;
    if (!sessionKey || !parameters.SafePassword) {
      return {
        refused: loginRefused(
          ServerLoginResult.Error,
          'The session key could not be read: fetch the server information again and sign in with its public key.',
        ),
      };
    }
    try {
      return { password: decryptFromHex(sessionKey, parameters.SafePassword), sessionKey };
    } catch (error) {
      if (!(error instanceof DvlsCipherError)) throw error;
      return {
        refused: loginRefused(
          ServerLoginResult.Error,
          'The password is not encrypted under the session key.',
        ),
      };
    }
  }
  if (parameters.Password) return { password: parameters.Password };
  return { refused: loginRefused(ServerLoginResult.InvalidUserNamePassword, 'A password is required.') };
}

async function isSignedIn(ctx: ServerContext, request: FastifyRequest): Promise<boolean> {
  try {
    await ctx.auth.authenticate(tokenOf(request));
    return true;
  } catch (error) {
    if (error instanceof PamError) return false;
    throw error;
  }
}
