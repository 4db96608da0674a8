/**
 * Whether an environment variable's name suggests a secret (its value is masked until the user
 * asks to see it): PASSWORD, TOKEN, SECRET, KEY, CREDENTIALS, AUTH, PRIVATE, CERT, SALT...
 */
const SECRET = /(PASS(WORD|WD|PHRASE)?|TOKEN|SECRET|(^|[_.-])KEY($|[_.-])|APIKEY|ACCESS_?KEY|PRIVATE|CREDENTIAL|AUTH|CERT|SALT|COOKIE|SESSION|SIGNATURE|DSN|CONN(ECTION)?_?STR)/i;

export const looksSecret = (name: string): boolean => SECRET.test(name);
