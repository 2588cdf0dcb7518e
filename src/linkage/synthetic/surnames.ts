/**
 * Surnames for synthetic families. Three layers, because real surname frequencies have a steep head
 * and a very long tail, and both matter for record linkage (the head for false matches between
 * strangers called Smith, the tail for how much a surname narrows a search):
 *
 * 1. SURNAME_HEAD: about six hundred common surnames in England with weights per million people,
 *    the top forty set from published frequencies, the rest falling off as 1/rank^0.86.
 * 2. SURNAME_TAIL: a few thousand place-like compounds ("Ashworth", "Kingsley") built from word
 *    parts, sharing a smaller weight, standing in for the thousands of moderately rare surnames.
 * 3. Rare surnames composed on the fly from syllables (see composeRareSurname), so that a large
 *    share of families have surnames that are nearly unique in the population, as in real data.
 */

import type { Random } from './prng.ts';
import type { NameOrigin } from './names.ts';

/** [surname, weight per million people, origin]. */
export type WeightedSurname = readonly [name: string, weight: number, origin: NameOrigin];

/**
 * Surnames given only to women or girls in some communities (Begum, Kaur, Bibi, Khatun) are left
 * out: siblings of both sexes share a family surname here.
 */
export const SURNAME_HEAD: readonly WeightedSurname[] = [
  ['Smith', 12600, 'general'], ['Jones', 7800, 'general'], ['Williams', 5600, 'general'], ['Taylor', 5300, 'general'],
  ['Brown', 4900, 'general'], ['Davies', 4300, 'general'], ['Evans', 3300, 'general'], ['Wilson', 3200, 'general'],
  ['Thomas', 3100, 'general'], ['Johnson', 3000, 'general'], ['Roberts', 2900, 'general'], ['Robinson', 2600, 'general'],
  ['Thompson', 2600, 'general'], ['Wright', 2500, 'general'], ['Walker', 2400, 'general'], ['White', 2300, 'general'],
  ['Edwards', 2250, 'general'], ['Hughes', 2200, 'general'], ['Green', 2150, 'general'], ['Hall', 2100, 'general'],
  ['Lewis', 2050, 'general'], ['Harris', 2000, 'general'], ['Clarke', 1950, 'general'], ['Patel', 1900, 'south-asian-indic'],
  ['Jackson', 1850, 'general'], ['Wood', 1800, 'general'], ['Turner', 1750, 'general'], ['Martin', 1700, 'general'],
  ['Cooper', 1650, 'general'], ['Hill', 1650, 'general'], ['Ward', 1600, 'general'], ['Morris', 1580, 'general'],
  ['Moore', 1560, 'general'], ['Clark', 1540, 'general'], ['Lee', 1520, 'general'], ['King', 1500, 'general'],
  ['Baker', 1480, 'general'], ['Harrison', 1460, 'general'], ['Morgan', 1440, 'general'], ['Allen', 1420, 'general'],
  ['James', 1390, 'general'], ['Scott', 1362, 'general'], ['Khan', 1334, 'south-asian-muslim'], ['Phillips', 1308, 'general'],
  ['Watson', 1283, 'general'], ['Davis', 1259, 'general'], ['Parker', 1236, 'general'], ['Price', 1214, 'general'],
  ['Bennett', 1193, 'general'], ['Young', 1172, 'general'], ['Griffiths', 1152, 'general'], ['Mitchell', 1133, 'general'],
  ['Kelly', 1115, 'general'], ['Cook', 1097, 'general'], ['Carter', 1080, 'general'], ['Richardson', 1063, 'general'],
  ['Bailey', 1047, 'general'], ['Collins', 1032, 'general'], ['Bell', 1017, 'general'], ['Shaw', 1002, 'general'],
  ['Murphy', 988, 'general'], ['Miller', 974, 'general'], ['Cox', 961, 'general'], ['Richards', 948, 'general'],
  ['Hussain', 935, 'south-asian-muslim'], ['Marshall', 923, 'general'], ['Anderson', 911, 'general'], ['Simpson', 900, 'general'],
  ['Ellis', 888, 'general'], ['Adams', 878, 'general'], ['Singh', 867, 'south-asian-indic'], ['Ali', 857, 'south-asian-muslim'],
  ['Wilkinson', 846, 'general'], ['Foster', 837, 'general'], ['Chapman', 827, 'general'], ['Ahmed', 818, 'south-asian-muslim'],
  ['Mason', 808, 'general'], ['Gray', 800, 'general'], ['Powell', 791, 'general'], ['Webb', 782, 'general'],
  ['Rogers', 774, 'general'], ['Hunt', 766, 'general'], ['Lloyd', 758, 'general'], ['Palmer', 750, 'general'],
  ['Mills', 743, 'general'], ['Holmes', 735, 'general'], ['Stevens', 728, 'general'], ['Graham', 721, 'general'],
  ['Reynolds', 714, 'general'], ['Stewart', 707, 'general'], ['Knight', 700, 'general'], ['Butler', 694, 'general'],
  ['Barnes', 687, 'general'], ['Russell', 681, 'general'], ['Fisher', 675, 'general'], ['Pearson', 669, 'general'],
  ['Harvey', 663, 'general'], ['Gibson', 657, 'general'], ['Dixon', 651, 'general'], ['Fletcher', 646, 'general'],
  ['Howard', 640, 'general'], ['Carr', 635, 'general'], ['Jenkins', 630, 'general'], ['Owen', 624, 'general'],
  ['Murray', 619, 'general'], ['Matthews', 614, 'general'], ['Lawrence', 609, 'general'], ['Hart', 604, 'general'],
  ['Holland', 600, 'general'], ['Ford', 595, 'general'], ['Saunders', 590, 'general'], ['Payne', 586, 'general'],
  ['West', 581, 'general'], ['Day', 577, 'general'], ['Pearce', 573, 'general'], ['Cole', 568, 'general'],
  ['Dawson', 564, 'general'], ['Hudson', 560, 'general'], ['Rose', 556, 'general'], ['Armstrong', 552, 'general'],
  ['Akhtar', 548, 'south-asian-muslim'], ['Grant', 544, 'general'], ['McDonald', 540, 'general'], ['Atkinson', 537, 'general'],
  ['Burton', 533, 'general'], ['Spencer', 529, 'general'], ['Wells', 526, 'general'], ['Berry', 522, 'general'],
  ['Elliott', 519, 'general'], ['Hamilton', 515, 'general'], ['Hunter', 512, 'general'], ['Reid', 509, 'general'],
  ['Robertson', 505, 'general'], ['Sharma', 502, 'south-asian-indic'], ['Shah', 499, 'south-asian-indic'], ['Begg', 496, 'south-asian-muslim'],
  ['Rahman', 493, 'south-asian-muslim'], ['Iqbal', 490, 'south-asian-muslim'], ['Mahmood', 486, 'south-asian-muslim'], ['Islam', 483, 'south-asian-muslim'],
  ['Uddin', 481, 'south-asian-muslim'], ['Miah', 478, 'south-asian-muslim'], ['Campbell', 475, 'general'], ['Kennedy', 472, 'general'],
  ['Lynch', 469, 'general'], ["O'Brien", 466, 'general'], ['Byrne', 464, 'general'], ['Nowak', 461, 'eastern-european'],
  ['Kowalski', 458, 'eastern-european'], ['Wisniewski', 456, 'eastern-european'], ['Okafor', 453, 'african'], ['Adeyemi', 450, 'african'],
  ['Mensah', 448, 'african'], ['Owusu', 445, 'african'], ['Malik', 443, 'south-asian-muslim'], ['Hassan', 441, 'south-asian-muslim'],
  ['Mohammed', 438, 'south-asian-muslim'], ['Kumar', 436, 'south-asian-indic'], ['Gill', 433, 'south-asian-indic'], ['Chowdhury', 431, 'south-asian-muslim'],
  ['Butt', 429, 'south-asian-muslim'], ['Anwar', 426, 'south-asian-muslim'], ['Hussein', 424, 'south-asian-muslim'], ['Mohamed', 422, 'south-asian-muslim'],
  ['Abdi', 420, 'south-asian-muslim'], ['Rashid', 418, 'south-asian-muslim'], ['Raza', 415, 'south-asian-muslim'], ['Aziz', 413, 'south-asian-muslim'],
  ['Haque', 411, 'south-asian-muslim'], ['Ahmad', 409, 'south-asian-muslim'], ['Abbas', 407, 'south-asian-muslim'], ['Sheikh', 405, 'south-asian-muslim'],
  ['Qureshi', 403, 'south-asian-muslim'], ['Karim', 401, 'south-asian-muslim'], ['Nawaz', 399, 'south-asian-muslim'], ['Mirza', 397, 'south-asian-muslim'],
  ['Saleem', 395, 'south-asian-muslim'], ['Siddique', 393, 'south-asian-muslim'], ['Bhatti', 391, 'south-asian-muslim'], ['Yusuf', 390, 'south-asian-muslim'],
  ['Farah', 388, 'south-asian-muslim'], ['Osman', 386, 'south-asian-muslim'], ['Omar', 384, 'south-asian-muslim'], ['Ibrahim', 382, 'south-asian-muslim'],
  ['Mistry', 380, 'south-asian-indic'], ['Parmar', 379, 'south-asian-indic'], ['Sandhu', 377, 'south-asian-indic'], ['Dhillon', 375, 'south-asian-indic'],
  ['Sidhu', 374, 'south-asian-indic'], ['Chauhan', 372, 'south-asian-indic'], ['Desai', 370, 'south-asian-indic'], ['Joshi', 368, 'south-asian-indic'],
  ['Mehta', 367, 'south-asian-indic'], ['Gupta', 365, 'south-asian-indic'], ['Rana', 364, 'south-asian-indic'], ['Bains', 362, 'south-asian-indic'],
  ['Johal', 360, 'south-asian-indic'], ['Grewal', 359, 'south-asian-indic'], ['Solanki', 357, 'south-asian-indic'], ['Vaghela', 356, 'south-asian-indic'],
  ['Thakrar', 354, 'south-asian-indic'], ['Lal', 353, 'south-asian-indic'], ['Atwal', 351, 'south-asian-indic'], ['Sohal', 350, 'south-asian-indic'],
  ['Chohan', 348, 'south-asian-indic'], ['Wojcik', 347, 'eastern-european'], ['Kowalczyk', 345, 'eastern-european'], ['Kaminski', 344, 'eastern-european'],
  ['Lewandowski', 343, 'eastern-european'], ['Zielinski', 341, 'eastern-european'], ['Szymanski', 340, 'eastern-european'], ['Wozniak', 338, 'eastern-european'],
  ['Dabrowski', 337, 'eastern-european'], ['Kozlowski', 336, 'eastern-european'], ['Jankowski', 334, 'eastern-european'], ['Mazur', 333, 'eastern-european'],
  ['Kwiatkowski', 332, 'eastern-european'], ['Krawczyk', 330, 'eastern-european'], ['Kaczmarek', 329, 'eastern-european'], ['Piotrowski', 328, 'eastern-european'],
  ['Grabowski', 326, 'eastern-european'], ['Popescu', 325, 'eastern-european'], ['Ionescu', 324, 'eastern-european'], ['Popa', 323, 'eastern-european'],
  ['Petrov', 322, 'eastern-european'], ['Kazlauskas', 320, 'eastern-european'], ['Jankauskas', 319, 'eastern-european'], ['Horvath', 318, 'eastern-european'],
  ['Balogh', 317, 'eastern-european'], ['Nagy', 315, 'eastern-european'], ['Adebayo', 314, 'african'], ['Okonkwo', 313, 'african'],
  ['Boateng', 312, 'african'], ['Asante', 311, 'african'], ['Ogunleye', 310, 'african'], ['Afolabi', 309, 'african'],
  ['Okoro', 307, 'african'], ['Eze', 306, 'african'], ['Nwosu', 305, 'african'], ['Obi', 304, 'african'],
  ['Adeleke', 303, 'african'], ['Olaniyan', 302, 'african'], ['Bello', 301, 'african'], ['Danso', 300, 'african'],
  ['Appiah', 299, 'african'], ['Osei', 298, 'african'], ['Acheampong', 297, 'african'], ['Addo', 296, 'african'],
  ['Agyeman', 295, 'african'], ['Kamara', 294, 'african'], ['Conteh', 293, 'african'], ['Bangura', 292, 'african'],
  ['Sesay', 291, 'african'], ['Kargbo', 290, 'african'], ['Mohamud', 289, 'south-asian-muslim'], ['Warsame', 288, 'south-asian-muslim'],
  ['Jama', 287, 'south-asian-muslim'], ['Abdullahi', 286, 'south-asian-muslim'], ["O'Connor", 285, 'general'], ["O'Neill", 284, 'general'],
  ["O'Sullivan", 283, 'general'], ['Ryan', 282, 'general'], ['Doyle', 281, 'general'], ['Walsh', 280, 'general'],
  ['McCarthy', 279, 'general'], ['Quinn', 278, 'general'], ['Doherty', 277, 'general'], ['Gallagher', 277, 'general'],
  ['Duffy', 276, 'general'], ['Brennan', 275, 'general'], ['Burke', 274, 'general'], ['Connolly', 273, 'general'],
  ['Fitzgerald', 272, 'general'], ['Maguire', 271, 'general'], ['McLaughlin', 271, 'general'], ['McKenzie', 270, 'general'],
  ['Ross', 269, 'general'], ['Fraser', 268, 'general'], ['Paterson', 267, 'general'], ['Henderson', 266, 'general'],
  ['Morrison', 266, 'general'], ['Cameron', 265, 'general'], ['Sinclair', 264, 'general'], ['Boyd', 263, 'general'],
  ['Kerr', 262, 'general'], ['Douglas', 262, 'general'], ['Ferguson', 261, 'general'], ['Gordon', 260, 'general'],
  ['MacLeod', 259, 'general'], ['Atkins', 258, 'general'], ['Austin', 258, 'general'], ['Ball', 257, 'general'],
  ['Banks', 256, 'general'], ['Barber', 255, 'general'], ['Barker', 255, 'general'], ['Barlow', 254, 'general'],
  ['Barnett', 253, 'general'], ['Barrett', 252, 'general'], ['Barton', 252, 'general'], ['Bates', 251, 'general'],
  ['Baxter', 250, 'general'], ['Bentley', 250, 'general'], ['Bird', 249, 'general'], ['Bishop', 248, 'general'],
  ['Black', 247, 'general'], ['Blackburn', 247, 'general'], ['Bolton', 246, 'general'], ['Bond', 245, 'general'],
  ['Booth', 245, 'general'], ['Bowen', 244, 'general'], ['Bradley', 243, 'general'], ['Bradshaw', 243, 'general'],
  ['Brady', 242, 'general'], ['Brooks', 241, 'general'], ['Bryant', 241, 'general'], ['Buckley', 240, 'general'],
  ['Bull', 239, 'general'], ['Burgess', 239, 'general'], ['Burns', 238, 'general'], ['Burrows', 237, 'general'],
  ['Cartwright', 237, 'general'], ['Chambers', 236, 'general'], ['Charlton', 236, 'general'], ['Clayton', 235, 'general'],
  ['Coates', 234, 'general'], ['Coleman', 234, 'general'], ['Conway', 233, 'general'], ['Cross', 232, 'general'],
  ['Cunningham', 232, 'general'], ['Curtis', 231, 'general'], ['Dale', 231, 'general'], ['Daly', 230, 'general'],
  ['Daniels', 229, 'general'], ['Davidson', 229, 'general'], ['Dean', 228, 'general'], ['Dennis', 228, 'general'],
  ['Dickinson', 227, 'general'], ['Dobson', 227, 'general'], ['Duncan', 226, 'general'], ['Dunn', 225, 'general'],
  ['Dyer', 225, 'general'], ['Eaton', 224, 'general'], ['Farrell', 224, 'general'], ['Fowler', 223, 'general'],
  ['Francis', 223, 'general'], ['Freeman', 222, 'general'], ['French', 222, 'general'], ['Frost', 221, 'general'],
  ['Fuller', 220, 'general'], ['Gardner', 220, 'general'], ['Garner', 219, 'general'], ['George', 219, 'general'],
  ['Gibbs', 218, 'general'], ['Gilbert', 218, 'general'], ['Goddard', 217, 'general'], ['Godfrey', 217, 'general'],
  ['Gough', 216, 'general'], ['Gould', 216, 'general'], ['Greenwood', 215, 'general'], ['Gregory', 215, 'general'],
  ['Griffin', 214, 'general'], ['Hale', 214, 'general'], ['Hammond', 213, 'general'], ['Hancock', 213, 'general'],
  ['Hardy', 212, 'general'], ['Harper', 212, 'general'], ['Hartley', 211, 'general'], ['Hawkins', 211, 'general'],
  ['Hayes', 210, 'general'], ['Haynes', 210, 'general'], ['Heath', 209, 'general'], ['Hewitt', 209, 'general'],
  ['Hicks', 208, 'general'], ['Higgins', 208, 'general'], ['Hobbs', 207, 'general'], ['Hodgson', 207, 'general'],
  ['Holden', 206, 'general'], ['Holt', 206, 'general'], ['Hopkins', 205, 'general'], ['Horton', 205, 'general'],
  ['Houghton', 204, 'general'], ['Howarth', 204, 'general'], ['Howe', 203, 'general'], ['Humphreys', 203, 'general'],
  ['Hutchinson', 203, 'general'], ['Hyde', 202, 'general'], ['Jarvis', 202, 'general'], ['Jennings', 201, 'general'],
  ['John', 201, 'general'], ['Johnston', 200, 'general'], ['Kay', 200, 'general'], ['Kemp', 199, 'general'],
  ['Kent', 199, 'general'], ['Kirby', 199, 'general'], ['Kirk', 198, 'general'], ['Knowles', 198, 'general'],
  ['Lamb', 197, 'general'], ['Lambert', 197, 'general'], ['Lane', 196, 'general'], ['Law', 196, 'general'],
  ['Lawson', 196, 'general'], ['Leach', 195, 'general'], ['Lees', 195, 'general'], ['Little', 194, 'general'],
  ['Lord', 194, 'general'], ['Lowe', 194, 'general'], ['Lucas', 193, 'general'], ['Mann', 193, 'general'],
  ['Manning', 192, 'general'], ['Marsh', 192, 'general'], ['Maxwell', 191, 'general'], ['May', 191, 'general'],
  ['Metcalfe', 191, 'general'], ['Middleton', 190, 'general'], ['Miles', 190, 'general'], ['Moss', 190, 'general'],
  ['Nash', 189, 'general'], ['Newman', 189, 'general'], ['Newton', 188, 'general'], ['Nicholls', 188, 'general'],
  ['Nicholson', 188, 'general'], ['Noble', 187, 'general'], ['Norman', 187, 'general'], ['Norris', 186, 'general'],
  ['North', 186, 'general'], ['Oliver', 186, 'general'], ['Osborne', 185, 'general'], ['Page', 185, 'general'],
  ['Parkinson', 185, 'general'], ['Parry', 184, 'general'], ['Parsons', 184, 'general'], ['Perkins', 183, 'general'],
  ['Perry', 183, 'general'], ['Peters', 183, 'general'], ['Pickering', 182, 'general'], ['Porter', 182, 'general'],
  ['Potter', 182, 'general'], ['Preston', 181, 'general'], ['Pritchard', 181, 'general'], ['Read', 181, 'general'],
  ['Reeves', 180, 'general'], ['Rees', 180, 'general'], ['Rhodes', 180, 'general'], ['Rice', 179, 'general'],
  ['Riley', 179, 'general'], ['Rowe', 178, 'general'], ['Rowley', 178, 'general'], ['Sanders', 178, 'general'],
  ['Savage', 177, 'general'], ['Sharp', 177, 'general'], ['Sharpe', 177, 'general'], ['Shepherd', 176, 'general'],
  ['Short', 176, 'general'], ['Sims', 176, 'general'], ['Slater', 175, 'general'], ['Stanley', 175, 'general'],
  ['Steele', 175, 'general'], ['Stephens', 174, 'general'], ['Stephenson', 174, 'general'], ['Stone', 174, 'general'],
  ['Storey', 173, 'general'], ['Sullivan', 173, 'general'], ['Sutton', 173, 'general'], ['Swift', 173, 'general'],
  ['Talbot', 172, 'general'], ['Tate', 172, 'general'], ['Thorpe', 172, 'general'], ['Todd', 171, 'general'],
  ['Townsend', 171, 'general'], ['Tucker', 171, 'general'], ['Vaughan', 170, 'general'], ['Wade', 170, 'general'],
  ['Walton', 170, 'general'], ['Warren', 169, 'general'], ['Waters', 169, 'general'], ['Watts', 169, 'general'],
  ['Weston', 168, 'general'], ['Wheeler', 168, 'general'], ['Whitehead', 168, 'general'], ['Wilkins', 168, 'general'],
  ['Wilde', 167, 'general'], ['Willis', 167, 'general'], ['Winter', 167, 'general'], ['Wong', 166, 'general'],
  ['Chen', 166, 'general'], ['Li', 166, 'general'], ['Zhang', 165, 'general'], ['Wang', 165, 'general'],
  ['Liu', 165, 'general'], ['Chan', 165, 'general'], ['Lam', 164, 'general'], ['Cheung', 164, 'general'],
  ['Ng', 164, 'general'], ['Nguyen', 163, 'general'], ['Tran', 163, 'general'], ['Howells', 163, 'general'],
  ['Llewellyn', 163, 'general'], ['Griffith', 162, 'general'], ['Sutcliffe', 162, 'general'], ['Ackroyd', 162, 'general'],
  ['Crowther', 162, 'general'], ['Haigh', 161, 'general'], ['Hargreaves', 161, 'general'], ['Whitworth', 161, 'general'],
  ['Sykes', 160, 'general'], ['Ormerod', 160, 'general'], ['Tattersall', 160, 'general'], ['Pilkington', 160, 'general'],
  ['Entwistle', 159, 'general'], ['Butterworth', 159, 'general'], ['Greenhalgh', 159, 'general'], ['Ramsbottom', 159, 'general'],
  ['Heywood', 158, 'general'], ['Schofield', 158, 'general'], ['Hirst', 158, 'general'], ['Firth', 157, 'general'],
  ['Haworth', 157, 'general'], ['Brooke', 157, 'general'], ['Webster', 157, 'general'], ['Dawes', 156, 'general'],
  ['Field', 156, 'general'], ['Fox', 156, 'general'], ['Gibbons', 156, 'general'], ['Hope', 155, 'general'],
  ['Hurst', 155, 'general'], ['Ingram', 155, 'general'], ['Jordan', 155, 'general'], ['Joyce', 154, 'general'],
  ['Kelley', 154, 'general'], ['Long', 154, 'general'], ['Lyons', 154, 'general'], ['Marsden', 153, 'general'],
  ['Mellor', 153, 'general'], ['Moran', 153, 'general'], ['Morton', 153, 'general'], ['Naylor', 152, 'general'],
  ['Nixon', 152, 'general'], ['Oakley', 152, 'general'], ['Pollard', 152, 'general'], ['Pratt', 151, 'general'],
  ['Randall', 151, 'general'], ['Robson', 151, 'general'], ['Rushton', 151, 'general'], ['Sheppard', 150, 'general'],
  ['Simmons', 150, 'general'], ['Skinner', 150, 'general'], ['Stanton', 150, 'general'], ['Stokes', 150, 'general'],
  ['Summers', 149, 'general'], ['Swann', 149, 'general'], ['Tyler', 149, 'general'], ['Walters', 149, 'general'],
  ['Whittaker', 148, 'general'], ['Wiggins', 148, 'general'], ['Wyatt', 148, 'general'], ['Yates', 148, 'general'],
  ['Goodwin', 147, 'general'], ['Horne', 147, 'general'], ['Sanderson', 147, 'general'], ['Benson', 147, 'general'],
  ['Blake', 147, 'general'], ['Briggs', 146, 'general'], ['Carroll', 146, 'general'], ['Castle', 146, 'general'],
  ['Chandler', 146, 'general'], ['Clements', 145, 'general'], ['Cooke', 145, 'general'], ['Craig', 145, 'general'],
  ['Crawford', 145, 'general'], ['Davey', 145, 'general'], ['Dodd', 144, 'general'], ['Emery', 144, 'general'],
  ['Fenton', 144, 'general'], ['Finch', 144, 'general'], ['Flynn', 143, 'general'], ['Foley', 143, 'general'],
  ['Gale', 143, 'general'], ['Garrett', 143, 'general'], ['Glover', 143, 'general'], ['Goodman', 142, 'general'],
  ['Hanson', 142, 'general'], ['Harding', 142, 'general'], ['Hayward', 142, 'general'], ['Herbert', 142, 'general'],
  ['Hilton', 141, 'general'], ['Hooper', 141, 'general'], ['Howell', 141, 'general'], ['Kendall', 141, 'general'],
  ['Lindsay', 141, 'general'], ['Mackay', 140, 'general'], ['Mahoney', 140, 'general'], ['Mathews', 140, 'general'],
  ['McGrath', 140, 'general'], ['McKay', 140, 'general'], ['Mercer', 139, 'general'], ['Milner', 139, 'general'],
  ['Molloy', 139, 'general'], ['Moody', 139, 'general'], ['Munro', 139, 'general'], ['Nolan', 138, 'general'],
  ['Peacock', 138, 'general'], ['Pike', 138, 'general'], ['Poole', 138, 'general'], ['Sheridan', 138, 'general'],
  ['Stevenson', 137, 'general'], ['Tanner', 137, 'general'], ['Thornton', 137, 'general'], ['Tomlinson', 137, 'general'],
  ['Vincent', 137, 'general'], ['Whitfield', 136, 'general'],
];

const TAIL_PREFIXES = [
  'Ash', 'Black', 'Brad', 'Bram', 'Brook', 'Cal', 'Clay', 'Dun', 'East', 'Fair', 'Farn', 'Green', 'Hal', 'Hart',
  'Hay', 'Hol', 'Kings', 'Lang', 'Mars', 'Mid', 'Nor', 'Oak', 'Pen', 'Ray', 'Red', 'Ross', 'Shel', 'Stan', 'Sut',
  'Thorn', 'Wal', 'West', 'Whit', 'Wood', 'Ald', 'Ather', 'Bar', 'Bell', 'Birk', 'Brom', 'Buck', 'Burn', 'Car',
  'Chad', 'Chester', 'Cold', 'Crom', 'Dar', 'Ding', 'Elm', 'Ever', 'Fen', 'Fern', 'Frank', 'Gar', 'Glad', 'Gold',
  'Hather', 'Heath', 'Hen', 'Hux', 'Ire', 'Kel', 'Ken', 'Kil', 'Lath', 'Lin', 'Lock', 'Long', 'Lyn', 'Maple',
  'Mel', 'Mil', 'Moor', 'Moss', 'New', 'North', 'Ox', 'Pem', 'Pick', 'Pres', 'Rad', 'Ren', 'Rid', 'Rock', 'Roth',
  'Rush', 'Sal', 'Sand', 'Sef', 'Shaw', 'Shir', 'South', 'Stain', 'Stock', 'Stow', 'Sum', 'Swin', 'Tam', 'Tem',
  'Thorp', 'Tod', 'Tun', 'Wad', 'War', 'Wat', 'Wel', 'Wen', 'Wex', 'Wil', 'Win', 'Wolf', 'Wor', 'Yel',
] as const;

const TAIL_SUFFIXES = [
  'by', 'den', 'field', 'ford', 'ham', 'ley', 'ton', 'worth', 'well', 'wood', 'hurst', 'stone', 'more', 'bridge',
  'cliffe', 'dale', 'burn', 'combe', 'gate', 'land', 'shaw', 'thorpe', 'wick', 'croft', 'bury', 'cott', 'ridge',
  'sley', 'nall', 'ington', 'er', 'wright', 'man', 'ell', 'away', 'ock', 'ing', 'stead', 'brook', 'hill',
] as const;

/** Deterministic 32-bit string hash, so the tail's order (and so its weights) never depends on a seed. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function buildTail(): WeightedSurname[] {
  const head = new Set(SURNAME_HEAD.map(([name]) => name));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const prefix of TAIL_PREFIXES) {
    for (const suffix of TAIL_SUFFIXES) {
      // "Ashshaw" and "Wexwick" look wrong; real compounds rarely double a consonant at the seam.
      const last = prefix.charAt(prefix.length - 1);
      if (last === suffix.charAt(0) || (/[aeiou]$/.test(prefix) && /^[aeiou]/.test(suffix))) continue;
      const name = prefix + suffix;
      if (head.has(name) || seen.has(name)) continue;
      seen.add(name);
      names.push(name);
    }
  }
  // A scrambled but fixed order, so frequency does not follow the alphabet of the word parts.
  names.sort((a, b) => hashString(a) - hashString(b) || (a < b ? -1 : 1));
  // Continues the head's fall-off more gently (1/rank^0.5 from the head's last weight), which puts
  // about a third of people in this layer.
  const start = SURNAME_HEAD.length + 1;
  return names.map((name, i) => [name, Math.max(4, Math.round(135 * Math.sqrt(start / (start + i)))), 'general'] as const);
}

/** Moderately rare surnames built from place-name parts, a few thousand of them. */
export const SURNAME_TAIL: readonly WeightedSurname[] = buildTail();

/**
 * Weight per million people of composed rare surnames, compared with the head and tail weights:
 * about 35% of families, as many surnames in England belong to only a few hundred people.
 */
export const RARE_SURNAME_WEIGHT = 350_000;

const RARE_ONSETS = ['B', 'Br', 'C', 'Ch', 'Cr', 'D', 'Dr', 'F', 'G', 'Gr', 'H', 'K', 'L', 'M', 'N', 'P', 'Pr', 'R', 'S', 'Sh', 'St', 'T', 'Tr', 'W', 'Wh'] as const;
const RARE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'ea', 'ai', 'oo', 'ay', 'ow'] as const;
const RARE_CODAS = ['b', 'ck', 'd', 'dd', 'g', 'l', 'll', 'm', 'n', 'nd', 'ng', 'nk', 'p', 'r', 'rk', 'rn', 'rt', 's', 'st', 't', 'tt', 'x'] as const;
const RARE_ENDINGS = ['', '', '', 'er', 'ley', 'ton', 'ham', 'worth', 'son', 'well', 'field', 'ings', 'ford', 'by', 'ett', 'ick', 'ridge', 'shaw', 's', 'man'] as const;
const POLISH_ROOTS = ['Kowal', 'Nowic', 'Wrob', 'Sikor', 'Bator', 'Gorsk', 'Marcin', 'Pawl', 'Zaj', 'Krol', 'Wiecz', 'Jasin', 'Majew', 'Olszew', 'Stepn', 'Dudz', 'Malin', 'Urban', 'Kubi', 'Laskow', 'Tomasz', 'Michal', 'Sobcz', 'Czarn'] as const;
const POLISH_ENDINGS = ['ski', 'czyk', 'ak', 'ek', 'iak', 'owski', 'ewicz', 'ka'] as const;
const YORUBA_STARTS = ['Ade', 'Olu', 'Oye', 'Ogun', 'Aki', 'Oba', 'Ola', 'Ayo', 'Babat', 'Fola', 'Bam', 'Ode'] as const;
const YORUBA_ENDS = ['yemi', 'wale', 'bayo', 'sola', 'tunde', 'femi', 'kunle', 'jide', 'dele', 'gbemi', 'mide', 'rinde'] as const;
const RARE_SOUTH_ASIAN_MUSLIM = [
  'Hossain', 'Sarwar', 'Zaman', 'Chaudhry', 'Javed', 'Aslam', 'Latif', 'Majid', 'Bashir', 'Hanif', 'Kayani',
  'Rehman', 'Shafiq', 'Tariq', 'Younis', 'Zafar', 'Ashraf', 'Habib', 'Munir', 'Sadiq',
] as const;
const RARE_SOUTH_ASIAN_INDIC = [
  'Bhogal', 'Dhaliwal', 'Kalsi', 'Nijjar', 'Panesar', 'Rai', 'Toor', 'Virdi', 'Bhatt', 'Dave', 'Pandya', 'Trivedi',
  'Vyas', 'Lad',
] as const;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.below(items.length)] as T;
}

/**
 * A rare surname and its origin, composed from syllables. Most look English ("Brankworth",
 * "Dellings"); some are Polish, Yoruba or South Asian, matching the mix of the head.
 */
export function composeRareSurname(random: Random): readonly [name: string, origin: NameOrigin] {
  const roll = random.next();
  if (roll < 0.08) return [pick(random, POLISH_ROOTS) + pick(random, POLISH_ENDINGS), 'eastern-european'];
  if (roll < 0.14) return [pick(random, YORUBA_STARTS) + pick(random, YORUBA_ENDS), 'african'];
  if (roll < 0.165) return [pick(random, RARE_SOUTH_ASIAN_MUSLIM), 'south-asian-muslim'];
  if (roll < 0.19) return [pick(random, RARE_SOUTH_ASIAN_INDIC), 'south-asian-indic'];
  let name = '';
  for (let attempt = 0; attempt < 20; attempt += 1) {
    name = pick(random, RARE_ONSETS) + pick(random, RARE_VOWELS) + pick(random, RARE_CODAS) + pick(random, RARE_ENDINGS);
    if (!UNFIT.test(name)) break;
  }
  return [name, 'general'];
}

/** Random syllables can spell words nobody would put on a child's record; those are redrawn. */
const UNFIT = /shit|cock|dick|fuck|cunt|piss|twat|wank|tit|poo|fag|nig|slut|whor|porn|rap[ei]|bum|arse|crap|fart|sex|coon|pak|spaz|gay|homo|turd|knob|prick|puss|bitch|bast|dead|kill|nazi/i;
