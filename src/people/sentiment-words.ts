// The sentiment word list, German and English, written for Allmende (no external lexicon).
// Words are lower case with umlauts written out (ä = ae, ß = ss) and without apostrophes.
// German words are given in their base form; sentiment.ts strips common endings before the
// lookup. Weight 1: an ordinary opinion word; 2: a strong one. Words whose sense depends on the
// context ("schnell", "like", "wichtig") are left out on purpose.
const words = (weight: number, list: string) => list.trim().split(/\s+/).map((w) => [w, weight] as [string, number]);

export const POSITIVE = new Map<string, number>([
  // German
  ...words(1, `
    gut besser gutes lieb nett freundlich hilfreich hilfsbereit danke dank dankbar bedanken freude
    freuen freut gefreut froh zufrieden angenehm schoen sympathisch lecker kompetent zuverlaessig
    fair ehrlich witzig lustig spannend interessant informativ gelungen stark cool top prima
    spitze gerne gern mag moegen empfehlen empfehlenswert empfehle loben lob gratulation
    glueckwunsch willkommen erfolg erfolgreich hoffnung hoffnungsvoll mutig respekt respektvoll
    wertvoll geloest loesung funktioniert klappt geklappt unterstuetzung entspannt gemuetlich
    geduldig herzlich verstaendnisvoll bravo juhu yay sauber liebe
  `),
  ...words(2, `
    super toll wunderbar wunderschoen grossartig genial hervorragend ausgezeichnet perfekt
    fantastisch phantastisch herrlich traumhaft begeistert begeisternd beeindruckend beeindruckt
    gluecklich lieben liebt geliebt klasse spitzenmaessig
  `),
  // English
  ...words(1, `
    good nice fine happy glad thanks thank thankful grateful helpful friendly better
    beautiful enjoy enjoyed fun cool interesting fair honest reliable respect brave proud win won
    success successful solved fixed works worked appreciate appreciated welcome pleased satisfied
    recommend recommended hope hopeful congrats congratulations wow yay lovely polite
  `),
  ...words(2, `
    great excellent awesome amazing wonderful fantastic brilliant perfect love loved superb
    outstanding impressive impressed delighted best thrilled
  `),
]);

export const NEGATIVE = new Map<string, number>([
  // German
  ...words(-1, `
    schlecht schlechter mies enttaeuscht enttaeuschend enttaeuschung aergerlich aerger aergern
    sauer frech peinlich traurig trauer leider schade langweilig nervig nervt genervt stoerung
    kaputt defekt fehler fehlerhaft problem probleme mangel mangelhaft beschwerde beschweren
    unzufrieden unfreundlich unhoeflich inkompetent unfaehig ueberteuert teuer verspaetung
    verspaetet ausfall ausgefallen angst sorge besorgt gefaehrlich gefahr chaos versagt
    versagen dumm bloed laecherlich armselig respektlos ignoriert ignorant unmoeglich schwach
    sinnlos nutzlos zumutung unzumutbar dreckig schmutzig stinkt
  `),
  ...words(-2, `
    schlimm furchtbar schrecklich grauenhaft grauenvoll katastrophe katastrophal miserabel wuetend
    wut unverschaemt unverschaemtheit frechheit skandal skandaloes luege luegen gelogen betrug
    betrueger abzocke abzocker hass hasse hassen ekelhaft ekel widerlich scheisse kacke idiot
    idioten beschissen
  `),
  // English
  ...words(-1, `
    bad poor disappointed disappointing disappointment annoyed annoying sad unfortunately broken bug
    error problem problems fail failed failure useless pointless stupid rude unfriendly incompetent
    slow delay delayed cancelled canceled expensive overpriced waste wasted complaint complain
    boring worried worry afraid fear dangerous chaos mess ignored hopeless dirty nonsense sucks
  `),
  ...words(-2, `
    terrible awful horrible worst worse angry furious hate hated hates ridiculous idiot disgusting
    disgrace shame shameful scam fraud lie lies lied liar unacceptable pathetic crap shit outrage
    outrageous scandal
  `),
]);

/** Words that are opinion words in one language only and something else in the other. */
export const ONLY_IN = new Map<string, string>([
  ['bad', 'en'], ['lies', 'en'], ['hope', 'en'], ['toll', 'de'], ['mag', 'de'], ['stark', 'de'],
]);

export const NEGATORS = new Set(`
  nicht kein keine keinen keiner keinem keines nie niemals nichts weder
  not no never none nothing neither nor dont doesnt didnt isnt wasnt arent werent cant couldnt wont wouldnt shouldnt hardly
`.trim().split(/\s+/));

export const INTENSIFIERS = new Set(`
  sehr total voll echt extrem absolut mega richtig ziemlich besonders unglaublich wirklich so
  very really extremely totally absolutely incredibly truly especially
`.trim().split(/\s+/));

export const CONTRAST = new Set(['aber', 'jedoch', 'allerdings', 'but', 'however']);

export const EMOJI = new Map<string, number>([
  ...[...'😀😃😄😁😊🙂😍🥰😘👍👏🙏❤💚💙💛🧡💜🎉🥳✨💯😂🤩'].map((e) => [e, 1] as [string, number]),
  ...[...'😠😡🤬👎😢😭😞😔💩🤮🙄😤😒😖😩'].map((e) => [e, -1] as [string, number]),
]);
