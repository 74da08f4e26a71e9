// Starts the open-source Unleash server (installed from the npm registry by run.sh) for the side-by-side benchmark.
// Configuration comes from the environment: DATABASE_URL, HTTP_PORT, INIT_ADMIN_API_TOKENS, INIT_BACKEND_API_TOKENS.
const unleash = require(require.resolve('unleash-server', { paths: [process.env.UNLEASH_HOME] }));
unleash.start({
  db: { ssl: false },
  server: { port: Number(process.env.HTTP_PORT), enableRequestLogger: false },
  logLevel: 'warn',
}).then(() => console.log('unleash started on ' + process.env.HTTP_PORT));
