/** docker-names (CommonJS, no types): Docker's own name generator, `adjective_surname`. */
declare module 'docker-names' {
  const dockerNames: { getRandomName(appendNumber?: boolean | number): string };
  export default dockerNames;
}
