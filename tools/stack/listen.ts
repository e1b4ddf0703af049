/**
 * @module listen
 * The proxy template's MAIN_LISTEN and HTTP_REDIRECT_SERVER, as proxy/16-tls.envsh sets them in
 * the image: HTTP alone, or with a certificate, HTTPS with HTTP/2 and a redirect from HTTP.
 */

export interface TlsListen {
  /** Address (or port) to serve HTTPS on. */
  listen: string;
  /** The port clients reach HTTPS on, for the redirect (443 is left out of the URL). */
  publicPort: number;
  cert: string;
  key: string;
}

export function listenPlaceholders(httpListen: string, tls?: TlsListen): { MAIN_LISTEN: string; HTTP_REDIRECT_SERVER: string } {
  if (!tls) return { MAIN_LISTEN: `listen ${httpListen};`, HTTP_REDIRECT_SERVER: '# HTTP only: TLS_CERT and TLS_KEY not given' };
  const port = tls.publicPort === 443 ? '' : `:${tls.publicPort}`;
  return {
    MAIN_LISTEN: `listen ${tls.listen} ssl http2;\n    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};`,
    HTTP_REDIRECT_SERVER: [
      'server {',
      `    listen ${httpListen};`,
      '    server_name _;',
      '    location = /healthz {',
      '        access_log off;',
      '        default_type application/json;',
      `        return 200 '{"status":"ok","checks":"nginx only"}';`,
      '    }',
      '    location / {',
      '        access_log off;',
      `        return 308 https://$host${port}$request_uri;`,
      '    }',
      '}',
    ].join('\n'),
  };
}
