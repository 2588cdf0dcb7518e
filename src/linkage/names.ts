/**
 * Names that records of one child use interchangeably: nicknames and short forms (Kate for
 * Katherine, Alfie for Alfred), alternative spellings (Isobel, Isabel), transliterations (Muhammad,
 * Mohammed) and anglicised or feminine forms of Polish names (Wiktoria, Victoria; Kowalska,
 * Kowalski). The `nameVariant` comparison level looks names up here, so a school's "Katie" and a
 * GP's "Katherine" agree without string similarity having to stretch far enough to also join
 * unrelated names.
 *
 * The list is deliberately conservative: every group is a set of names that English records really
 * do use for the same person. A pair of names in one group is strong evidence for a match, and a
 * wrong group would join siblings, so a doubtful pairing is left out rather than put in. A name may
 * sit in more than one group (Alex, Charlie, Teddy); two names are variants when some group holds
 * both. Councils can extend it through the settings' `nameVariants`.
 */

export const FIRST_NAME_GROUPS: readonly (readonly string[])[] = [
  // Girls' names
  ['Katherine', 'Catherine', 'Kathryn', 'Katharine', 'Catharine', 'Katheryn', 'Kate', 'Katie', 'Katy', 'Katey', 'Cathy', 'Kathy', 'Kat'],
  ['Alexandra', 'Aleksandra', 'Alex', 'Alexa', 'Lexi', 'Lexie', 'Sasha'],
  ['Eleanor', 'Elinor', 'Eleanore', 'Elenor', 'Ellie', 'Elly', 'Elli', 'Nell', 'Nellie', 'Nelly'],
  ['Ellie', 'Elly', 'Elli', 'Elie'],
  ['Elizabeth', 'Elisabeth', 'Lizzie', 'Lizzy', 'Liz', 'Beth', 'Betty', 'Libby'],
  ['Isabella', 'Izabela', 'Isabela', 'Isabelle', 'Isabel', 'Isobel', 'Izabel', 'Izzy', 'Izzie', 'Issy', 'Bella', 'Belle'],
  ['Sophie', 'Sophia', 'Sofia', 'Sofie', 'Zofia', 'Zosia', 'Sophy'],
  ['Olivia', 'Oliwia', 'Liv', 'Livvy'],
  ['Amelia', 'Amellia', 'Millie', 'Milly'],
  ['Amelie', 'Amélie'],
  ['Emily', 'Emilie', 'Emmie', 'Emmy'],
  ['Jessica', 'Jess', 'Jessie', 'Jessy'],
  ['Rebecca', 'Rebekah', 'Rebeca', 'Becky', 'Becca', 'Bex'],
  ['Victoria', 'Wiktoria', 'Viktoria', 'Vicky', 'Vikki', 'Vicki', 'Tori', 'Toria'],
  ['Natalie', 'Natalia', 'Nathalie'],
  ['Alicia', 'Alicja', 'Alisha'],
  ['Julia', 'Julie', 'Jules'],
  ['Freya', 'Freyja', 'Freja'],
  ['Evelyn', 'Evelyne', 'Evie', 'Eve', 'Evey'],
  ['Leah', 'Lea', 'Lia', 'Leia'],
  ['Layla', 'Laila', 'Leila', 'Lailah', 'Leyla', 'Laylah'],
  ['Holly', 'Hollie'],
  ['Lily', 'Lilly', 'Lillie', 'Lili', 'Lilian', 'Lillian'],
  ['Grace', 'Gracie', 'Gracey'],
  ['Molly', 'Mollie'],
  ['Maisie', 'Maisy', 'Maisey'],
  ['Daisy', 'Daisey'],
  ['Darcie', 'Darcey', 'Darcy', 'Darci'],
  ['Macie', 'Macy', 'Maci'],
  ['Madison', 'Maddison', 'Maddie'],
  ['Lacey', 'Lacie', 'Lacy'],
  ['Caitlin', 'Caitlyn', 'Katelyn', 'Kaitlyn', 'Kaitlin', 'Katelin'],
  ['Keira', 'Kiera', 'Kira', 'Kyra'],
  ['Megan', 'Meghan', 'Meg', 'Meagan'],
  ['Abigail', 'Abigale', 'Abi', 'Abbie', 'Abby', 'Abbey'],
  ['Scarlett', 'Scarlet', 'Scarlette'],
  ['Harriet', 'Harriett', 'Hattie', 'Hatty', 'Harri'],
  ['Matilda', 'Mathilda', 'Tilly', 'Tillie', 'Tilda', 'Mattie'],
  ['Jennifer', 'Jenny', 'Jenni', 'Jen'],
  ['Zoe', 'Zoë', 'Zoey', 'Zoie'],
  ['Chloe', 'Chloë', 'Cloe'],
  ['Niamh', 'Neve', 'Nieve', 'Neave'],
  ['Georgia', 'Georgie', 'Georgina', 'Georgiana'],
  ['Jasmine', 'Jasmin', 'Jasmyn', 'Yasmin', 'Yasmine', 'Jazmin', 'Jazmine', 'Jaz', 'Jazz'],
  ['Maya', 'Maia', 'Mya', 'Myah'],
  ['Aaliyah', 'Aliyah', 'Aleah', 'Aliya', 'Aaliya'],
  ['Zara', 'Zahra', 'Zarah'],
  ['Sara', 'Sarah'],
  ['Hannah', 'Hanna', 'Hana'],
  ['Anna', 'Ana', 'Ania'],
  ['Annabelle', 'Annabel', 'Anabel', 'Anabelle', 'Annabella', 'Bella'],
  ['Charlotte', 'Lottie', 'Lotte', 'Charlie', 'Charley', 'Lotty'],
  ['Sienna', 'Siena'],
  ['Aria', 'Arya'],
  ['Penelope', 'Penelopi', 'Penny'],
  ['Phoebe', 'Pheobe', 'Phebe', 'Phoebie'],
  ['Bethany', 'Bethanie', 'Beth'],
  ['Eloise', 'Elouise', 'Heloise'],
  ['Imogen', 'Imogin', 'Immy', 'Imi'],
  ['Lydia', 'Lidia'],
  ['Zuzanna', 'Zuzana', 'Zuza'],
  ['Aisha', 'Ayesha', 'Aysha', 'Aishah', 'Ayisha'],
  ['Fatima', 'Fatimah', 'Fatma', 'Fatemah'],
  ['Maryam', 'Mariam', 'Mariyam', 'Miriam'],
  ['Khadija', 'Khadijah', 'Khadeeja'],
  ['Zainab', 'Zaynab', 'Zaineb'],
  ['Hafsa', 'Hafsah'],
  ['Amina', 'Aminah', 'Ameena'],
  ['Sumaya', 'Sumayyah', 'Sumaiya', 'Sumaiyah', 'Sumayya'],
  ['Simran', 'Simrun'],
  ['Lily-Mae', 'Lily Mae', 'Lilymae', 'Lily'],
  ['Ella-Rose', 'Ella Rose', 'Ella'],
  ['Mia-Rose', 'Mia Rose', 'Mia'],
  ['Evie-Mae', 'Evie Mae', 'Evie'],
  ['Lacey-Mae', 'Lacey Mae', 'Lacey'],
  ['Amelia-Rose', 'Amelia Rose', 'Amelia'],
  ['Rosie', 'Rosy'],
  ['Florence', 'Flo', 'Florrie'],
  ['Violet', 'Vi', 'Violette'],
  ['Josephine', 'Jo', 'Josie', 'Josey'],
  ['Francesca', 'Frankie', 'Fran', 'Frances', 'Franny'],
  ['Gabriella', 'Gabriela', 'Gabrielle', 'Gabby', 'Gabbie'],
  ['Samantha', 'Sam', 'Sammy', 'Sami'],
  ['Danielle', 'Daniela', 'Daniella', 'Dani'],
  ['Nicole', 'Nicola', 'Nikki', 'Nicky'],
  ['Stephanie', 'Steph', 'Stefanie'],
  ['Teresa', 'Theresa', 'Tess', 'Tessa'],
  ['Patricia', 'Trish', 'Patsy', 'Tricia'],
  ['Christina', 'Kristina', 'Krystyna', 'Chrissie'],
  ['Agnieszka', 'Aga'],
  ['Małgorzata', 'Malgorzata', 'Gosia'],
  ['Katarzyna', 'Kasia'],
  ['Magdalena', 'Magda'],
  // Boys' names
  ['William', 'Will', 'Willy', 'Bill', 'Billy', 'Liam', 'Wil', 'Wiliam'],
  ['Muhammad', 'Mohammed', 'Mohammad', 'Mohamed', 'Muhammed', 'Mohamad', 'Mohammod', 'Muhamad', 'Mo'],
  ['Alexander', 'Aleksander', 'Alexandre', 'Alex', 'Alec', 'Xander'],
  ['Samuel', 'Sam', 'Sammy', 'Samuil'],
  ['Thomas', 'Tom', 'Tommy', 'Tomas', 'Tomasz', 'Tomos'],
  ['James', 'Jim', 'Jimmy', 'Jamie'],
  ['Joseph', 'Joe', 'Joey', 'Josef', 'Józef', 'Jozef', 'Jo'],
  ['Joshua', 'Josh', 'Josua'],
  ['Benjamin', 'Benjamen', 'Ben', 'Benji', 'Benjy', 'Benny'],
  ['Daniel', 'Dan', 'Danny'],
  ['Matthew', 'Mathew', 'Matt', 'Matty', 'Mateusz'],
  ['Michael', 'Micheal', 'Micael', 'Mike', 'Mikey', 'Mick', 'Michal', 'Michał', 'Mikael'],
  ['Christopher', 'Kristopher', 'Cristopher', 'Christoper', 'Chris', 'Kris', 'Krzysztof', 'Topher'],
  ['Nicholas', 'Nickolas', 'Nicolas', 'Nick', 'Nicky', 'Nico', 'Mikolaj', 'Mikołaj', 'Nikolai', 'Nikola'],
  ['Jonathan', 'Johnathan', 'Jonathon', 'Jon', 'Jonny', 'Jonty'],
  ['John', 'Jon', 'Johnny'],
  ['Edward', 'Ed', 'Eddie', 'Eddy', 'Ted', 'Teddy', 'Ned'],
  ['Theodore', 'Theodor', 'Theo', 'Teddy', 'Ted'],
  ['Frederick', 'Fredrick', 'Frederik', 'Freddie', 'Freddy', 'Fred', 'Fryderyk'],
  ['Alfred', 'Alfie', 'Alf', 'Alfy', 'Alfi'],
  ['Archie', 'Archibald', 'Archy', 'Arch'],
  ['Henry', 'Harry', 'Hal', 'Henri', 'Henryk', 'Hank'],
  ['Harrison', 'Harrisson'],
  ['Charles', 'Charlie', 'Charley', 'Chaz', 'Chas', 'Karol'],
  ['Oliver', 'Ollie', 'Olly', 'Olivier', 'Oli', 'Oliwer'],
  ['Zachary', 'Zachery', 'Zackary', 'Zac', 'Zach', 'Zack', 'Zak', 'Zachariah'],
  ['Yusuf', 'Yousuf', 'Yousaf', 'Yusef', 'Youssef', 'Yousef'],
  ['Ibrahim', 'Ebrahim', 'Ibraheem', 'Ibrahem'],
  ['Hamza', 'Hamzah'],
  ['Isa', 'Eesa', 'Esa', 'Issa'],
  ['Zain', 'Zayn', 'Zane', 'Zayne'],
  ['Umar', 'Omar', 'Omer'],
  ['Usman', 'Osman', 'Uthman', 'Othman'],
  ['Hussain', 'Hussein', 'Husain', 'Hossain', 'Husayn'],
  ['Hassan', 'Hasan'],
  ['Ahmed', 'Ahmad', 'Ahmet'],
  ['Mustafa', 'Mostafa', 'Mustapha'],
  ['Zakariya', 'Zakaria', 'Zakariyya', 'Zakariyah'],
  ['Ali', 'Aly'],
  ['Abdullah', 'Abdulla', 'Abdallah'],
  ['Jacob', 'Jakob', 'Jakub', 'Kuba', 'Jake'],
  ['Philip', 'Phillip', 'Filip', 'Phil', 'Pip'],
  ['Simon', 'Szymon', 'Si'],
  ['Oscar', 'Oskar', 'Ossie', 'Ozzie', 'Ozzy'],
  ['Kacper', 'Casper', 'Kasper', 'Caspar'],
  ['Anthony', 'Antoni', 'Antony', 'Tony', 'Anton', 'Antonio'],
  ['David', 'Dawid', 'Dave', 'Davey', 'Davy', 'Dafydd'],
  ['Victor', 'Wiktor', 'Viktor', 'Vic'],
  ['Maximilian', 'Maksymilian', 'Maxymilian', 'Max', 'Maxim', 'Maks'],
  ['Maxwell', 'Max'],
  ['Jayden', 'Jaden', 'Jaiden', 'Jaydon', 'Jadon', 'Jaydn', 'Jaydan'],
  ['Kayden', 'Caiden', 'Kaden', 'Caden', 'Kaiden', 'Kaydon', 'Cayden'],
  ['Aiden', 'Aidan', 'Ayden', 'Aydan', 'Aden'],
  ['Louie', 'Louis', 'Lou'],
  ['Sean', 'Shaun', 'Shawn'],
  ['Connor', 'Conor', 'Conner', 'Konnor'],
  ['Kieran', 'Ciaran', 'Kieron', 'Kyran', 'Keiran'],
  ['Rhys', 'Reece', 'Reese', 'Rees'],
  ['Aaron', 'Aron', 'Arron'],
  ['Jenson', 'Jensen'],
  ['Finley', 'Finlay', 'Findlay', 'Finnley', 'Finn', 'Fin'],
  ['Reuben', 'Ruben', 'Rueben', 'Rubin'],
  ['Jaxon', 'Jackson', 'Jaxson', 'Jax'],
  ['Elliot', 'Elliott', 'Eliot', 'Eliott'],
  ['Luca', 'Luka', 'Lucca'],
  ['Lucas', 'Lukas', 'Lukasz', 'Łukasz'],
  ['Ronnie', 'Ronald', 'Ron', 'Ronny'],
  ['Reggie', 'Reginald', 'Reg'],
  ['Stanley', 'Stan', 'Stanisław', 'Stanislaw'],
  ['Albie', 'Albert', 'Bertie', 'Alby'],
  ['Frankie', 'Frank', 'Francis', 'Franek', 'Franciszek'],
  ['Bobby', 'Robert', 'Rob', 'Robbie', 'Robby', 'Bob'],
  ['Tobias', 'Toby', 'Tobi', 'Tobiasz'],
  ['Sebastian', 'Sebastien', 'Sébastien', 'Sebastain', 'Seb', 'Bastian'],
  ['Gabriel', 'Gabrial', 'Gabe', 'Gabi'],
  ['Nathaniel', 'Nathanial', 'Nathanael', 'Nathan', 'Nate', 'Nat'],
  ['Nathan', 'Nathen', 'Nate'],
  ['Cameron', 'Kameron', 'Cam'],
  ['Mason', 'Maison', 'Mayson'],
  ['Riley', 'Rylee', 'Reilly', 'Ryley', 'Rylie'],
  ['Bradley', 'Brad'],
  ['Emmanuel', 'Emanuel', 'Immanuel', 'Manny'],
  ['Oluwaseun', 'Oluwasegun', 'Seun'],
  ['Ayomide', 'Ayo'],
  ['Isaac', 'Issac', 'Isaak', 'Izaak', 'Izak'],
  ['Elijah', 'Elija', 'Eli'],
  ['Ezekiel', 'Ezekial', 'Zeke'],
  ['Caleb', 'Kaleb', 'Cale'],
  ['Logan', 'Logen'],
  ['Tyler', 'Tylor', 'Tyla'],
  ['Harvey', 'Harvy', 'Harvie'],
  ['Hunter', 'Huntar'],
  ['Oakley', 'Oakly'],
  ['Alfie-James', 'Alfie James', 'Alfie'],
  ['Tommy-Lee', 'Tommy Lee', 'Tommy'],
  ['Andrew', 'Andy', 'Drew', 'Andrzej', 'Andreas'],
  ['Peter', 'Pete', 'Piotr'],
  ['Paul', 'Pawel', 'Paweł'],
  ['Richard', 'Rich', 'Richie', 'Rick', 'Ricky', 'Dick', 'Ryszard'],
  ['Stephen', 'Steven', 'Steve', 'Stevie', 'Stefan'],
  ['Timothy', 'Tim', 'Timmy', 'Tymoteusz'],
  ['Patrick', 'Pat', 'Paddy', 'Patryk'],
  ['Dominic', 'Dominik', 'Dom'],
  ['Adam', 'Adem'],
  ['Jan', 'Janek'],
  ['Wojciech', 'Wojtek'],
  ['Bartholomew', 'Bart'],
  ['Bartosz', 'Bartek'],
  ['Arthur', 'Art', 'Artie', 'Artur'],
  ['George', 'Georgie', 'Jerzy'],
  ['Rory', 'Ruairi'],
  ['Callum', 'Calum', 'Cal'],
  ['Ewan', 'Euan', 'Ewen'],
  ['Owen', 'Owain'],
  ['Dylan', 'Dillon', 'Dillan'],
  ['Ethan', 'Eathan'],
];

/** Alternative spellings and forms of surnames, as the same family's records hold them. */
export const SURNAME_GROUPS: readonly (readonly string[])[] = [
  ['Mohammed', 'Mohamed', 'Muhammad', 'Mohammad', 'Muhammed'],
  ['Hussain', 'Hussein', 'Husain', 'Hossain'],
  ['Ahmed', 'Ahmad'],
  ['Rahman', 'Rehman'],
  ['Chowdhury', 'Choudhury', 'Chaudhry', 'Chaudhary', 'Choudhry'],
  ['Mahmood', 'Mahmud', 'Mehmood', 'Mahmoud'],
  ['Iqbal', 'Ikbal'],
  ['Mohamud', 'Mohamoud'],
  ['Uddin', 'Udin'],
  ['Thompson', 'Thomson', 'Tompson'],
  ['Davies', 'Davis'],
  ['Clarke', 'Clark'],
  ['Phillips', 'Philips'],
  ['Matthews', 'Mathews'],
  ['Stevens', 'Stephens'],
  ['Stephenson', 'Stevenson'],
  ['Reid', 'Reed', 'Read', 'Reade'],
  ['Gray', 'Grey'],
  ['Rees', 'Reece', 'Reese'],
  ['McDonald', 'MacDonald'],
  ['McKenzie', 'MacKenzie'],
  ['Smith', 'Smyth', 'Smythe'],
  ['Nowak', 'Novak'],
  ['Kowalski', 'Kowalska'],
  ['Wisniewski', 'Wisniewska'],
  ['Lewandowski', 'Lewandowska'],
  ['Kaminski', 'Kaminska'],
  ['Dabrowski', 'Dabrowska'],
  ['Zielinski', 'Zielinska'],
  ['Szymanski', 'Szymanska'],
  ['Kozlowski', 'Kozlowska'],
  ['Jankowski', 'Jankowska'],
  ['Kwiatkowski', 'Kwiatkowska'],
  ['Piotrowski', 'Piotrowska'],
  ['Grabowski', 'Grabowska'],
  ['Wojcik', 'Wojcikowa'],
  ['Johnson', 'Johnston', 'Jonson', 'Johnstone'],
  ['Gallagher', 'Gallacher'],
  ['Doherty', 'Docherty', 'Dougherty'],
  ['Kelly', 'Kelley'],
  ['Walsh', 'Welsh', 'Welch'],
  ['Nicholls', 'Nichols', 'Nicholl', 'Nicolls'],
  ['Pearce', 'Pearse', 'Pierce'],
  ['Griffiths', 'Griffith'],
  ['Jenkins', 'Jenkin'],
  ['Hutchinson', 'Hutchison'],
  ['Wilkinson', 'Wilkenson'],
  ['Richardson', 'Richarson'],
  ['Harrison', 'Harrisson'],
  ['Hargreaves', 'Hargreave'],
  ['Macintosh', 'McIntosh', 'Mackintosh'],
  ['Mclean', 'Maclean', 'McLaine'],
  ['Philipson', 'Phillipson'],
];

/** How names are looked up: lower case, accents folded, letters only ("Lily-Mae" and "lily mae" agree). */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}]/gu, '');
}

/** The groups each name belongs to, for deciding in a lookup or two whether two names are variants. */
export class NameVariantIndex {
  readonly #groups = new Map<string, number[]>();

  constructor(groups: Iterable<readonly string[]>) {
    let id = 0;
    for (const group of groups) {
      for (const name of new Set(group.map(nameKey))) {
        if (name === '') continue;
        const list = this.#groups.get(name);
        if (list === undefined) this.#groups.set(name, [id]);
        else list.push(id);
      }
      id += 1;
    }
  }

  /** The ids of the groups holding a name (empty when it is in none). */
  groupsOf(name: string): readonly number[] {
    return this.#groups.get(nameKey(name)) ?? [];
  }

  /** True when the names are the same or some group holds both. */
  areVariants(a: string, b: string): boolean {
    const x = nameKey(a);
    const y = nameKey(b);
    if (x === y) return x !== '';
    const gx = this.#groups.get(x);
    const gy = this.#groups.get(y);
    if (gx === undefined || gy === undefined) return false;
    return gx.some((group) => gy.includes(group));
  }
}

let builtIn: NameVariantIndex | null = null;

/** The built-in first-name and surname groups, plus any further groups the settings give. */
export function nameVariantIndex(extra: readonly (readonly string[])[] = []): NameVariantIndex {
  if (extra.length > 0) return new NameVariantIndex([...FIRST_NAME_GROUPS, ...SURNAME_GROUPS, ...extra]);
  builtIn ??= new NameVariantIndex([...FIRST_NAME_GROUPS, ...SURNAME_GROUPS]);
  return builtIn;
}
